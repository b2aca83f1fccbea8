"""External commitments: customers see a security or privacy notice and can report issues.

Communicating with external parties is CC2.3; the privacy notice is P1.1.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_files.models import FilesRoot, PolicyDocument, is_blank, normalize_id

external_commitments = control("external-commitments", criteria=["CC2.3", "P1.1"])

# --- files ---


@external_commitments.check(
    "files.governance.external-commitments",
    severity="medium",
    remediation=(
        "Publish a privacy or security notice and keep it as policies/privacy-notice.md "
        "with url (where it is published) and contact (how customers report issues, or "
        "keep policies/vulnerability-disclosure.md), owner, approved_by, last_reviewed."
    ),
)
def files_external_commitments(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
    notice_ids: tuple[str, ...] = ("privacy-notice", "security-notice"),
    reporting_ids: tuple[str, ...] = ("vulnerability-disclosure", "security-txt"),
) -> None:
    """A published notice, reviewed within a year, and a way for customers to report issues.

    The notice (one of ``notice_ids``) gives ``url`` in its front matter; the way to
    report is its ``contact`` key, or a document in force with one of
    ``reporting_ids`` (a vulnerability-disclosure policy, the ``security.txt`` kept as
    a document).
    """
    notice = find_document(files_policies, files_root, notice_ids, "privacy or security notice")
    judge_document(notice, today, max_age_days=max_age_days, required_keys=("url",))
    wanted = {normalize_id(i) for i in reporting_ids}
    reporting = [p for p in files_policies if p.id in wanted and p.in_force]
    assert not is_blank(notice.value("contact")) or reporting, (
        f"no way for customers to report issues: give contact in {notice.path} or keep "
        f"{' or '.join(f'{files_root.policies}/{i}.md' for i in reporting_ids)}"
    )
