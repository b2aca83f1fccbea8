"""Change management: ownership of code is defined.

Code owners make the approvers of each change explicit (CC8.1).
"""

from __future__ import annotations

from soc2checks import control

change_management = control('change-management', criteria=['CC8.1'])

# Checks for every provider sit side by side below, grouped by provider.
