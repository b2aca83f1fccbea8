"""Incident response: the incident-response plan is exercised every year.

A yearly exercise shows incidents are evaluated, responded to and recovered from (CC7.3
to CC7.5).
"""

from __future__ import annotations

from soc2checks import control

incident_response = control('incident-response', criteria=['CC7.3', 'CC7.4', 'CC7.5'])

# Checks for every provider sit side by side below, grouped by provider.
