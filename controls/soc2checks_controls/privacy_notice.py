"""Privacy notice: the purposes for which personal information is collected and used are stated.

The notice is P1.1; collecting (P3.1) and using (P4.1) personal information only for
the stated purposes, and keeping it accurate (P7.1), are commitments it records.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_files.models import FilesRoot, PolicyDocument

privacy_notice = control("privacy-notice", criteria=["P1.1", "P3.1", "P4.1", "P7.1"])

# --- files ---


@privacy_notice.check(
    "files.policy.privacy-notice",
    severity="medium",
    remediation=(
        "Keep the privacy notice as policies/privacy-notice.md with sections Purposes, "
        "Use and Data quality (how subjects keep their data accurate), and owner, "
        "approved_by and last_reviewed in its front matter."
    ),
)
def files_privacy_notice(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
    topics: tuple[str, ...] = ("purposes", "use", "data quality"),
) -> None:
    """An approved privacy notice, reviewed within a year, states purposes, use and data quality."""
    doc = find_document(files_policies, files_root, ("privacy-notice",), "privacy notice")
    judge_document(doc, today, max_age_days=max_age_days, topics=topics)
