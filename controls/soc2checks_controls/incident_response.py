"""Incident response: the incident-response plan is exercised every year.

A yearly exercise shows incidents are evaluated, responded to and recovered from (CC7.3
to CC7.5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, control
from soc2checks_controls._records import recent_record_findings
from soc2checks_files.models import FilesRoot, Record

incident_response = control("incident-response", criteria=["CC7.3", "CC7.4", "CC7.5"])

# Checks for every provider sit side by side below, grouped by provider.

# --- files ---


IR_EXERCISE_TYPES = ("incident-response-exercise", "ir-exercise", "tabletop-exercise")
IR_RECORD_FIELDS = ("participants", "outcome")


@incident_response.check(
    "files.records.ir-exercise",
    severity="high",
    remediation=(
        "Run an incident-response exercise (a tabletop of a realistic incident) and record "
        "it as records/<date>-ir-exercise.md with front matter type: "
        "incident-response-exercise, date, participants and outcome."
    ),
)
def files_ir_exercise_recorded(
    files_records: list[Record],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
    record_types: tuple[str, ...] = IR_EXERCISE_TYPES,
    required_fields: tuple[str, ...] = IR_RECORD_FIELDS,
) -> Iterator[Finding]:
    """An incident-response exercise was recorded within the last year.

    Looks for a record under ``records/`` whose ``type`` is one of ``record_types``,
    dated within ``max_age_days`` (UTC) and naming its participants and outcome.
    Add ``incident-postmortem`` to ``record_types`` to count real incidents too.
    A record whose type or date cannot be read is an ``error`` finding of its own;
    if no valid record qualifies, those errors stand instead of a failure.
    """
    yield from recent_record_findings(
        kind="incident-response exercise",
        records=files_records,
        root=files_root,
        record_types=record_types,
        max_age_days=max_age_days,
        required_fields=required_fields,
        today=today,
    )
