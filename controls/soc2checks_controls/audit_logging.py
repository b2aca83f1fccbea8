"""Audit logging: every administrative action is recorded, intact and protected.

Without a complete, tamper-evident audit trail, anomalies cannot be detected or
investigated (CC7.2).
"""

from __future__ import annotations

from soc2checks import control

audit_logging = control('audit-logging', criteria=['CC7.2', 'CC4.1'])

# Checks for every provider sit side by side below, grouped by provider.
