"""Recovery testing: the disaster-recovery plan is tested every year.

An untested recovery plan is not a plan; A1.3 asks for periodic recovery tests.
"""

from __future__ import annotations

from soc2checks import control

recovery_testing = control('recovery-testing', criteria=['A1.3'])

# Checks for every provider sit side by side below, grouped by provider.
