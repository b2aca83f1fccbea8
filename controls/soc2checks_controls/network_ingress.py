"""Network ingress restricted: administrative ports are not open to the internet.

SSH and RDP open to the world invite brute force; the system boundary must restrict
inbound traffic (CC6.6).
"""

from __future__ import annotations

from soc2checks import control

network_ingress = control('network-ingress', criteria=['CC6.6'])

# Checks for every provider sit side by side below, grouped by provider.
