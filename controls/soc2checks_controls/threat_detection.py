"""Threat detection: managed detection services are enabled.

Managed threat detection monitors for anomalies and feeds incident evaluation (CC7.2,
CC7.3).
"""

from __future__ import annotations

from soc2checks import control

threat_detection = control('threat-detection', criteria=['CC7.2', 'CC7.3'])

# Checks for every provider sit side by side below, grouped by provider.
