"""System description: the system's components, data flows and boundaries are described.

Quality information about the system to support internal control is CC2.1; the
description is also the backbone of a SOC 2 report.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_files.models import FilesRoot, PolicyDocument

system_description = control("system-description", criteria=["CC2.1"])

# --- files ---


@system_description.check(
    "files.governance.system-description",
    severity="medium",
    remediation=(
        "Write policies/system-description.md with sections Components, Data flows and "
        "Boundaries, give it owner, approved_by and last_reviewed, and have it approved."
    ),
)
def files_system_description(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
    document_ids: tuple[str, ...] = ("system-description",),
    topics: tuple[str, ...] = ("components", "data flows", "boundaries"),
) -> None:
    """A system description covering components, data flows and boundaries, reviewed yearly.

    The document covers a topic with a section heading of that name (``## Data
    flows``) or a front matter key (``data_flows``).
    """
    doc = find_document(files_policies, files_root, document_ids, "system description")
    judge_document(doc, today, max_age_days=max_age_days, topics=topics)
