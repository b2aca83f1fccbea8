"""Processing integrity: inputs, processing, outputs and stored data are reconciled and monitored.

Controls over inputs (PI1.2), processing (PI1.3), outputs (PI1.4) and storage
(PI1.5), evidenced by the reconciliation procedure, reconciliation records and the
monitoring of job failures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_controls._tabular import (
    by_key,
    future_error,
    key_of,
    label,
    record_set,
    required_records,
    row_error,
    verdict,
)
from soc2checks_files.models import FilesRoot, PolicyDocument
from soc2checks_files.records import RecordBook, RecordRow

processing_integrity = control(
    "processing-integrity", criteria=["PI1.2", "PI1.3", "PI1.4", "PI1.5"]
)

# --- files ---

STAGES = ("input", "processing", "output", "storage")


@processing_integrity.check(
    "files.policy.reconciliation-procedure",
    severity="medium",
    remediation=(
        "Keep policies/reconciliation-procedure.md describing how inputs, outputs and "
        "stored data are reconciled, by whom and how often; give owner, approved_by and "
        "last_reviewed."
    ),
)
def files_reconciliation_procedure(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
) -> None:
    """An approved input/output reconciliation procedure, reviewed within a year."""
    doc = find_document(
        files_policies, files_root, ("reconciliation-procedure",), "reconciliation procedure"
    )
    judge_document(doc, today, max_age_days=max_age_days)


@processing_integrity.check(
    "files.pi.reconciliation",
    severity="medium",
    remediation=(
        "Reconcile the stage (record counts or control totals against the source) and "
        "add it to records/reconciliations.csv (date, job, stage, expected, actual, "
        "resolved, reviewer)."
    ),
)
def files_reconciliation(
    files_record_book: RecordBook,
    today: dt.date,
    max_age_days: int = 31,
    stages: tuple[str, ...] = STAGES,
) -> Iterator[Finding]:
    """Each stage (input, processing, output, storage) was reconciled within ``max_age_days``.

    Reads ``records/reconciliations*``. One finding per stage, on its latest
    reconciliation; one per reconciliation whose ``expected`` and ``actual`` differ
    without being marked ``resolved``.
    """
    records = required_records(files_record_book, "reconciliations")
    good: list[RecordRow] = []
    for row in records.rows:
        error = row_error(row, "date", "job", "stage", "expected", "actual", "resolved")
        error = error or future_error(row, "date", today)
        if error is not None:
            yield error
            continue
        good.append(row)
        expected, actual = row.values.get("expected"), row.values.get("actual")
        if expected is not None and actual is not None and expected != actual:
            yield verdict(
                row.flag("resolved") is True,
                row,
                f"{label(row, 'job')} {row.text('stage')} on {row.date('date')}: expected "
                f"{expected}, got {actual}"
                + (", resolved" if row.flag("resolved") else ", not resolved"),
            )
    by_stage = by_key(good, "stage")
    for stage in stages:
        rows = by_stage.get(key_of(stage), [])
        rid = f"{records.resource_id}#{stage}"
        if not rows:
            yield verdict(
                False,
                rid,
                f"no {stage} reconciliation in {records.expected}",
                records.resource_type,
            )
            continue
        latest = max(rows, key=lambda r: r.date("date") or dt.date.min)
        day = latest.date("date")
        age = (today - day).days if day else max_age_days + 1
        yield verdict(
            age <= max_age_days,
            rid,
            f"the latest {stage} reconciliation ({label(latest, 'job')}) is of {day}, "
            f"{age} days ago" + ("" if age <= max_age_days else f" (limit: {max_age_days})"),
            records.resource_type,
        )


@processing_integrity.check(
    "files.pi.job-failure-monitoring",
    severity="medium",
    remediation=(
        "Alert on the job's failures (records/job-monitoring.csv: job, monitored, "
        "alert_route, owner) and resolve each failure in time (records/job-failures.csv: "
        "job, failed_at, resolved_at, ticket)."
    ),
)
def files_job_failure_monitoring(
    files_record_book: RecordBook, today: dt.date, resolve_hours: int = 72
) -> Iterator[Finding]:
    """Every processing job alerts on failure, and each failure was resolved in time.

    Reads ``records/job-monitoring*`` (each job is ``monitored`` with an
    ``alert_route``) and ``records/job-failures*`` (each failure ``resolved_at``
    within ``resolve_hours``; failures still inside the window are not judged).
    """
    jobs = required_records(files_record_book, "job-monitoring")
    assert jobs.rows, f"{', '.join(jobs.files)} lists no job"
    for row in jobs.rows:
        error = row_error(row, "job", "monitored", "alert_route")
        if error is not None:
            yield error
            continue
        name = label(row, "job")
        ok = row.flag("monitored") is True and row.text("alert_route") is not None
        yield verdict(
            ok,
            row,
            f"{name} alerts {row.text('alert_route')} on failure"
            if ok
            else f"{name} is not monitored for failures (monitored and alert_route)",
        )
    failures = record_set(files_record_book, "job-failures")
    now = dt.datetime(today.year, today.month, today.day, tzinfo=dt.timezone.utc)
    limit = dt.timedelta(hours=resolve_hours)
    for row in failures.rows:
        error = row_error(row, "job", "failed_at", "resolved_at")
        if error is not None:
            yield error
            continue
        failed, resolved = row.moment("failed_at"), row.moment("resolved_at")
        assert failed is not None  # required
        name = f"failure of {label(row, 'job')} at {failed:%Y-%m-%d %H:%M}Z"
        if resolved is None:
            if now - failed > limit:
                yield verdict(False, row, f"{name} is unresolved")
            continue
        took = resolved - failed
        if took.total_seconds() < 0:
            yield Finding(
                status=Status.ERROR,
                resource_id=row.resource_id,
                resource_type=row.resource_type,
                message=f"{row.location}: resolved_at is before failed_at",
            )
            continue
        hours = took.total_seconds() / 3600
        yield verdict(
            took <= limit,
            row,
            f"{name} resolved in {hours:.0f} hours"
            + ("" if took <= limit else f" (limit: {resolve_hours})"),
        )
