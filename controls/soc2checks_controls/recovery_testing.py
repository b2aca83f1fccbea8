"""Recovery testing: the disaster-recovery plan is tested every year.

An untested recovery plan is not a plan; A1.3 asks for periodic recovery tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, control
from soc2checks_controls._records import recent_record_findings
from soc2checks_files.models import FilesRoot, Record

recovery_testing = control("recovery-testing", criteria=["A1.3"])

# Checks for every provider sit side by side below, grouped by provider.

# --- files ---


DR_TEST_TYPES = ("disaster-recovery-test", "dr-test")
DR_RECORD_FIELDS = ("participants", "outcome")


@recovery_testing.check(
    "files.records.dr-test",
    severity="high",
    remediation=(
        "Run a disaster-recovery test (restore from backup, fail over) and record it as "
        "records/<date>-dr-test.md with front matter type: disaster-recovery-test, date, "
        "participants and outcome."
    ),
)
def files_dr_test_recorded(
    files_records: list[Record],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
    record_types: tuple[str, ...] = DR_TEST_TYPES,
    required_fields: tuple[str, ...] = DR_RECORD_FIELDS,
) -> Iterator[Finding]:
    """A disaster-recovery test was recorded within the last year.

    Looks for a record under ``records/`` whose ``type`` is one of ``record_types``,
    dated within ``max_age_days`` (UTC) and naming its participants and outcome.
    A record whose type or date cannot be read is an ``error`` finding of its own;
    if no valid record qualifies, those errors stand instead of a failure.
    """
    yield from recent_record_findings(
        kind="disaster-recovery test",
        records=files_records,
        root=files_root,
        record_types=record_types,
        max_age_days=max_age_days,
        required_fields=required_fields,
        today=today,
    )
