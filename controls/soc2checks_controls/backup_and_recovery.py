"""Backups and recovery: data can be restored after loss.

Backups, versioning and point-in-time recovery are the recovery infrastructure A1.2 asks
for.
"""

from __future__ import annotations

from soc2checks import control

backup_and_recovery = control('backup-and-recovery', criteria=['A1.2', 'CC9.1'])

# Checks for every provider sit side by side below, grouped by provider.
