"""No unintended public exposure of data stores.

Storage and databases reachable from the internet are the most common cause of data
breaches (CC6.6 boundary protection, C1.1 confidential information).
"""

from __future__ import annotations

from soc2checks import control

public_exposure = control('public-exposure', criteria=['CC6.6', 'C1.1'])

# Checks for every provider sit side by side below, grouped by provider.
