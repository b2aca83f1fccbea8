"""Branch protection: changes reach the default branch only through reviewed, tested pull requests.

Protected default branches are the technical evidence of authorised, tested and approved
change (CC8.1).
"""

from __future__ import annotations

from soc2checks import control

branch_protection = control('branch-protection', criteria=['CC8.1'])

# Checks for every provider sit side by side below, grouped by provider.
