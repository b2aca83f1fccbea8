"""Log retention: logs are kept long enough to investigate and to audit.

A SOC 2 Type II period is usually twelve months; logs must outlive it.
"""

from __future__ import annotations

from soc2checks import control

log_retention = control('log-retention', criteria=['CC7.2', 'A1.2'])

# Checks for every provider sit side by side below, grouped by provider.
