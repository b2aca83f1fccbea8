"""Encryption in transit: data moves only over TLS.

Data in transmission must be protected against interception (CC6.7).
"""

from __future__ import annotations

from soc2checks import control

encryption_in_transit = control('encryption-in-transit', criteria=['CC6.7'])

# Checks for every provider sit side by side below, grouped by provider.
