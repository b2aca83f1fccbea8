"""Capacity management: capacity is planned and monitored so the system stays available.

Managing and monitoring processing capacity and demand is A1.1.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_files.models import FilesRoot, PolicyDocument

capacity_management = control("capacity-management", criteria=["A1.1"])

# Checks for every provider sit side by side below, grouped by provider.

# --- files ---


@capacity_management.check(
    "files.policy.capacity-management",
    severity="medium",
    remediation=(
        "Keep policies/capacity-management.md (what is monitored, thresholds, who is "
        "alerted, how capacity is forecast); give owner, approved_by and last_reviewed."
    ),
)
def files_capacity_management(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
) -> None:
    """An approved capacity-management procedure, reviewed within a year."""
    doc = find_document(
        files_policies, files_root, ("capacity-management",), "capacity-management procedure"
    )
    judge_document(doc, today, max_age_days=max_age_days)
