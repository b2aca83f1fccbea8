"""Vendor access: third parties reach the estate only through controlled, limited grants.

Access granted to other organizations must be scoped and protected against confused-
deputy use (CC9.2 vendor risk, CC6.3 least privilege).
"""

from __future__ import annotations

from soc2checks import control

vendor_access = control('vendor-access', criteria=['CC9.2', 'CC6.3'])

# Checks for every provider sit side by side below, grouped by provider.
