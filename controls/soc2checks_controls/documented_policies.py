"""Documented policies: required policies exist, have owners and are reviewed yearly.

Policies communicated to staff and reviewed on schedule are how CC1, CC2 and CC5 are
evidenced.
"""

from __future__ import annotations

from soc2checks import control

documented_policies = control('documented-policies', criteria=['CC1.1', 'CC2.2', 'CC5.3'])

# Checks for every provider sit side by side below, grouped by provider.
