"""Privileged access: the most powerful identities are locked down.

Root and owner identities bypass every other control; they must not carry long-lived
keys and must be few.
"""

from __future__ import annotations

from soc2checks import control

privileged_access = control('privileged-access', criteria=['CC6.1', 'CC6.3'])

# Checks for every provider sit side by side below, grouped by provider.
