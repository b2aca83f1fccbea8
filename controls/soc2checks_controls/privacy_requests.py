"""Privacy requests: subject-access, correction and complaint requests are answered in time.

Giving data subjects access to their information is P5.1, correcting it P5.2, and
handling inquiries, complaints and disputes P8.1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._tabular import (
    future_error,
    label,
    required_records,
    row_error,
    skipped,
    verdict,
)
from soc2checks_files.records import RecordBook

privacy_requests = control("privacy-requests", criteria=["P5.1", "P5.2", "P8.1"])

# --- files ---


@privacy_requests.check(
    "files.privacy.dsar",
    severity="high",
    remediation=(
        "Answer the request and record the date in records/privacy-requests.csv "
        "(id, type, received_on, answered_on)."
    ),
)
def files_privacy_requests(
    files_record_book: RecordBook, today: dt.date, sla_days: int = 30
) -> Iterator[Finding]:
    """Every subject-access, correction or complaint request was answered within ``sla_days``.

    Reads ``records/privacy-requests*``. A request still open within its deadline is
    skipped; an open one past it fails. An empty register (a header only) passes: it
    shows no request was received.
    """
    requests = required_records(files_record_book, "privacy-requests")
    for row in requests.rows:
        error = row_error(row, "id", "type", "received_on", "answered_on")
        error = error or future_error(row, "received_on", today)
        if error is not None:
            yield error
            continue
        received, answered = row.date("received_on"), row.date("answered_on")
        assert received is not None  # required
        name = f"{row.text('type')} request {label(row, 'id')}"
        due = received + dt.timedelta(days=sla_days)
        if answered is None:
            if today <= due:
                yield skipped(row, f"{name} received on {received} is open, due by {due}")
            else:
                yield verdict(
                    False, row, f"{name} received on {received} is unanswered, due on {due}"
                )
            continue
        took = (answered - received).days
        if took < 0:
            yield Finding(
                status=Status.ERROR,
                resource_id=row.resource_id,
                resource_type=row.resource_type,
                message=f"{row.location}: answered_on {answered} is before received_on",
            )
            continue
        yield verdict(
            took <= sla_days,
            row,
            f"{name} answered in {took} days"
            + ("" if took <= sla_days else f" (limit: {sla_days})"),
            received_on=received,
            answered_on=answered,
        )
    if not requests.rows:
        yield Finding(
            status=Status.PASS,
            resource_id=requests.resource_id,
            resource_type=requests.resource_type,
            message=f"no privacy request recorded in {', '.join(requests.files)}",
        )
