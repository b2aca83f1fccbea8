"""Breach notification: each privacy incident gets a notification decision within 72 hours.

Vendors reporting unauthorised disclosures is P6.5; notifying affected data subjects
and regulators is P6.6.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._tabular import label, required_records, row_error, skipped, verdict
from soc2checks_files.records import RecordBook

breach_notification = control("breach-notification", criteria=["P6.5", "P6.6"])

# --- files ---


@breach_notification.check(
    "files.privacy.breach-notification",
    severity="high",
    remediation=(
        "Decide whether to notify data subjects and regulators, and record the decision "
        "and its time in records/privacy-incidents.csv (id, detected_at, reported_by, "
        "notification_decision, decided_at)."
    ),
)
def files_breach_notification(
    files_record_book: RecordBook, today: dt.date, sla_hours: int = 72
) -> Iterator[Finding]:
    """Every privacy incident has a notification decision within ``sla_hours`` of detection.

    Reads ``records/privacy-incidents*`` (times in ISO 8601; a date alone is midnight
    UTC). An incident without a decision is skipped while inside the window and fails
    after it. An empty register passes.
    """
    register = required_records(files_record_book, "privacy-incidents")
    now = dt.datetime(today.year, today.month, today.day, tzinfo=dt.timezone.utc)
    limit = dt.timedelta(hours=sla_hours)
    for row in register.rows:
        error = row_error(row, "id", "detected_at", "notification_decision", "decided_at")
        if error is not None:
            yield error
            continue
        name = f"privacy incident {label(row, 'id')}"
        detected, decided = row.moment("detected_at"), row.moment("decided_at")
        assert detected is not None  # required
        decision = row.text("notification_decision")
        if decided is None or decision is None:
            if now - detected <= limit:
                yield skipped(row, f"{name} detected at {detected:%Y-%m-%d %H:%M}Z is open")
            else:
                yield verdict(False, row, f"{name} has no notification decision recorded")
            continue
        took = decided - detected
        hours = took.total_seconds() / 3600
        if hours < 0:
            yield Finding(
                status=Status.ERROR,
                resource_id=row.resource_id,
                resource_type=row.resource_type,
                message=f"{row.location}: decided_at is before detected_at",
            )
            continue
        yield verdict(
            took <= limit,
            row,
            f"{name}: decision '{decision}' after {hours:.0f} hours"
            + ("" if took <= limit else f" (limit: {sla_hours})"),
            reported_by=row.text("reported_by"),
        )
    if not register.rows:
        yield Finding(
            status=Status.PASS,
            resource_id=register.resource_id,
            resource_type=register.resource_type,
            message=f"no privacy incident recorded in {', '.join(register.files)}",
        )
