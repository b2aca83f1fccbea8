"""Least privilege: nobody holds more access than their role needs.

Broad administrative grants and permissive defaults defeat role-based access and
segregation of duties.
"""

from __future__ import annotations

from soc2checks import control

least_privilege = control('least-privilege', criteria=['CC6.3'])

# Checks for every provider sit side by side below, grouped by provider.
