"""Credential rotation: long-lived keys are rotated.

Long-lived secrets leak; rotating them bounds how long a leaked key is useful.
"""

from __future__ import annotations

from soc2checks import control

credential_rotation = control('credential-rotation', criteria=['CC6.1'])

# Checks for every provider sit side by side below, grouped by provider.
