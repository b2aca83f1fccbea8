"""Vendor management: every vendor is inventoried and reviewed yearly.

A vendor inventory with periodic reviews evidences vendor risk management (CC9.2).
"""

from __future__ import annotations

from soc2checks import control

vendor_management = control('vendor-management', criteria=['CC9.2'])

# Checks for every provider sit side by side below, grouped by provider.
