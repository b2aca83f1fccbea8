"""Data classification: confidential information is identified by a classification scheme.

Identifying and maintaining confidential information is C1.1.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_files.models import FilesRoot, PolicyDocument

data_classification = control("data-classification", criteria=["C1.1"])

# --- files ---


@data_classification.check(
    "files.policy.data-classification",
    severity="medium",
    remediation=(
        "Keep policies/data-classification.md defining the levels (public, internal, "
        "confidential, personal) and how each is handled; give owner, approved_by and "
        "last_reviewed."
    ),
)
def files_data_classification(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
    topics: tuple[str, ...] = ("confidential",),
) -> None:
    """An approved data-classification procedure, reviewed yearly, defines confidential data."""
    doc = find_document(
        files_policies, files_root, ("data-classification",), "data-classification procedure"
    )
    judge_document(doc, today, max_age_days=max_age_days, topics=topics)
