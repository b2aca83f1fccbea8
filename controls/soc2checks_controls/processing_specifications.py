"""Processing specifications: the data and processing of the system are defined.

Definitions of data processed and of the processing specifications are PI1.1.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_files.models import FilesRoot, PolicyDocument

processing_specifications = control("processing-specifications", criteria=["PI1.1"])

# --- files ---


@processing_specifications.check(
    "files.policy.processing-specifications",
    severity="medium",
    remediation=(
        "Keep policies/processing-specifications.md with sections Inputs, Processing and "
        "Outputs (data definitions, the processing each job does, the outputs and their "
        "recipients); give owner, approved_by and last_reviewed."
    ),
)
def files_processing_specifications(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
    topics: tuple[str, ...] = ("inputs", "processing", "outputs"),
) -> None:
    """Approved data and processing specifications, reviewed within a year."""
    doc = find_document(
        files_policies, files_root, ("processing-specifications",), "processing specification"
    )
    judge_document(doc, today, max_age_days=max_age_days, topics=topics)
