"""Stale access removed: unused credentials are disabled.

Credentials nobody uses are access nobody reviews; removing them is how access is
withdrawn when no longer needed (CC6.2, CC6.3).
"""

from __future__ import annotations

from soc2checks import control

stale_access = control('stale-access', criteria=['CC6.2', 'CC6.3'])

# Checks for every provider sit side by side below, grouped by provider.
