"""Password policy: passwords are long and not reused.

Where passwords remain, a policy sets their minimum strength and forbids reuse.
"""

from __future__ import annotations

from soc2checks import control

password_policy = control('password-policy', criteria=['CC6.1'])

# Checks for every provider sit side by side below, grouped by provider.
