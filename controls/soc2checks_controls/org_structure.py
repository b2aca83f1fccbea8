"""Organizational structure: roles, reporting lines and the security owner are defined.

Structures, reporting lines, authorities and responsibilities are CC1.3.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_files.models import FilesRoot, PolicyDocument

org_structure = control("org-chart", criteria=["CC1.3"])

# --- files ---


@org_structure.check(
    "files.governance.org-chart",
    severity="medium",
    remediation=(
        "Write policies/roles-and-responsibilities.md (the org chart, reporting lines, "
        "who owns what) with owner, approved_by, security_owner and last_reviewed in its "
        "front matter, and have it approved."
    ),
)
def files_org_chart(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
    document_ids: tuple[str, ...] = ("roles-and-responsibilities", "org-chart"),
) -> None:
    """An approved roles-and-responsibilities document names the security owner.

    A document under ``policies/`` with one of ``document_ids`` (front matter ``id``
    or file name), in force, with ``owner``, ``approved_by`` and ``security_owner`` in
    its front matter, reviewed within ``max_age_days``.
    """
    doc = find_document(files_policies, files_root, document_ids, "roles-and-responsibilities")
    judge_document(doc, today, max_age_days=max_age_days, required_keys=("security_owner",))
