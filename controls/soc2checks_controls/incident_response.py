"""Incident response: the incident-response plan is exercised every year.

A yearly exercise shows incidents are evaluated, responded to and recovered from (CC7.3
to CC7.5).
"""

from __future__ import annotations

from soc2checks import control

incident_response = control('incident-response', criteria=['CC7.3', 'CC7.4', 'CC7.5'])

# Checks for every provider sit side by side below, grouped by provider.

# --- files ---
from collections.abc import Iterator as FilesIterator  # noqa: E402

from soc2checks import Finding as FilesFinding  # noqa: E402
from soc2checks import Status as FilesStatus  # noqa: E402
from soc2checks import skip as files_skip  # noqa: E402
from soc2checks_files.models import FilesRoot, Record, age_in_days, select_records  # noqa: E402

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
    max_age_days: int = 365,
    record_types: tuple[str, ...] = IR_EXERCISE_TYPES,
    required_fields: tuple[str, ...] = IR_RECORD_FIELDS,
) -> FilesIterator[FilesFinding]:
    """An incident-response exercise was recorded within the last year.

    Looks for a record under ``records/`` whose ``type`` is one of ``record_types``,
    dated within ``max_age_days`` (UTC) and naming its participants and outcome.
    Add ``incident-postmortem`` to ``record_types`` to count real incidents too.
    A record whose type or date cannot be read is an ``error`` finding of its own;
    if no valid record qualifies, those errors stand instead of a failure.
    """
    if not files_root.records:
        files_skip('records are not kept in this folder ([files] records = "")')
    kind = "incident-response exercise"
    selection = select_records(files_records, record_types, max_age_days, required_fields)
    for record in selection.broken:
        yield FilesFinding(
            status=FilesStatus.ERROR,
            resource_id=record.resource_id,
            resource_type="files:record",
            message="; ".join(str(p) for p in record.problems_for("type", "date")),
        )
    if selection.complete:
        best = selection.complete[0]
        yield FilesFinding(
            status=FilesStatus.PASS,
            resource_id=best.resource_id,
            resource_type="files:record",
            message=f"{kind} on {best.date} recorded in {best.path}",
            evidence={"type": best.type, "date": best.date, "outcome": best.outcome},
        )
        return
    if selection.recent:
        best = selection.recent[0]
        missing = [k for k in required_fields if not best.value(k)]
        yield FilesFinding(
            status=FilesStatus.FAIL,
            resource_id=best.resource_id,
            resource_type="files:record",
            message=f"{best.path} ({kind} on {best.date}) does not give {', '.join(missing)}",
            evidence={"type": best.type, "date": best.date, "missing": missing},
        )
        return
    if selection.broken:
        return  # the errors above stand: a broken record may be the one looked for
    message = f"no {kind} record dated within {max_age_days} days in "
    message += files_root.display(files_root.records)
    latest = selection.latest
    if latest is not None and latest.date is not None:
        age = age_in_days(latest.date)
        when = f"{age} days ago" if age >= 0 else "in the future"
        message += f"; the latest, {latest.path}, is dated {latest.date} ({when})"
    yield FilesFinding(
        status=FilesStatus.FAIL,
        resource_id=files_root.records,
        resource_type="files:record",
        message=message,
        evidence={"record_types": list(record_types), "latest": latest and latest.resource_id},
    )
