"""MFA enforced: every human sign-in needs a second factor.

Passwords alone are phished and reused; a second factor on every interactive sign-in is
the baseline an auditor expects for logical access (CC6.1) and for issuing credentials
(CC6.2).
"""

from __future__ import annotations

from soc2checks import control

mfa_enforced = control('mfa-enforced', criteria=['CC6.1', 'CC6.2'])

# Checks for every provider sit side by side below, grouped by provider.
