"""Key management: encryption keys are rotated.

Rotating customer-managed keys limits the data exposed by one compromised key version.
"""

from __future__ import annotations

from soc2checks import control

key_management = control('key-management', criteria=['CC6.1'])

# Checks for every provider sit side by side below, grouped by provider.
