"""Encryption at rest: stored data is encrypted.

Encryption at rest protects data on disks, snapshots and backups from anyone who obtains
the media (CC6.1, C1.1).
"""

from __future__ import annotations

from soc2checks import control

encryption_at_rest = control('encryption-at-rest', criteria=['CC6.1', 'C1.1'])

# Checks for every provider sit side by side below, grouped by provider.
