"""Deficiency tracking: control deficiencies are owned and ticketed before their SLA runs out.

Evaluating and communicating deficiencies in a timely manner is CC4.2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._tabular import (
    future_error,
    is_closed,
    label,
    required_records,
    row_error,
    skipped,
    verdict,
)
from soc2checks_files.records import RecordBook

deficiency_tracking = control("deficiency-tracking", criteria=["CC4.2"])

# --- files ---


@deficiency_tracking.check(
    "files.governance.deficiency-tracking",
    severity="medium",
    remediation=(
        "Assign the deficiency an owner and a ticket in the tracker, and export the "
        "tracker to records/deficiencies.csv (id, check, opened_on, status, owner, ticket)."
    ),
)
def files_deficiency_tracking(
    files_record_book: RecordBook, today: dt.date, sla_days: int = 30
) -> Iterator[Finding]:
    """Every open deficiency older than its SLA has an owner and a ticket.

    Judged from the tracker export (``records/deficiencies*``); a row's own
    ``sla_days`` overrides the parameter. Closed deficiencies, and open ones still
    within their SLA, are skipped. The evidence store is not read yet: export the
    failed findings you track into the tracker.
    """
    tracker = required_records(files_record_book, "deficiencies")
    if not tracker.rows:
        yield Finding(
            status=Status.PASS,
            resource_id=tracker.resource_id,
            resource_type=tracker.resource_type,
            message=f"the tracker export ({', '.join(tracker.files)}) holds no deficiency",
        )
    for row in tracker.rows:
        error = row_error(row, "id", "opened_on", "status", "owner", "ticket", "sla_days")
        error = error or future_error(row, "opened_on", today)
        if error is not None:
            yield error
            continue
        name = label(row, "id")
        if is_closed(row.text("status")):
            yield skipped(row, f"{name} is {row.text('status')}")
            continue
        opened = row.date("opened_on")
        assert opened is not None  # required
        sla = row.values.get("sla_days")
        limit = sla if isinstance(sla, int) else sla_days
        age = (today - opened).days
        if age <= limit:
            yield skipped(row, f"{name} opened {age} days ago, within its {limit}-day SLA")
            continue
        missing = [k for k in ("owner", "ticket") if not row.text(k)]
        yield verdict(
            not missing,
            row,
            f"{name}, open {age} days (SLA {limit}), lacks {' and '.join(missing)}"
            if missing
            else f"{name}, open {age} days, is owned by {row.text('owner')} in "
            f"{row.text('ticket')}",
        )
