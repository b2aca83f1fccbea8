"""Board oversight: the board or its audit committee oversees security at least yearly.

Board independence and oversight of internal control is CC1.2; the board hearing
about security objectives is internal communication (CC2.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._tabular import future_error, required_records, row_error
from soc2checks_files.models import normalize_id
from soc2checks_files.records import RecordBook

board_oversight = control("board-oversight", criteria=["CC1.2", "CC2.2"])

# --- files ---


@board_oversight.check(
    "files.governance.board-oversight",
    severity="medium",
    remediation=(
        "Put security on the agenda of the next board or audit-committee meeting and "
        "record it in records/board-meetings.csv (date, body, topics, minutes)."
    ),
)
def files_board_oversight(
    files_record_book: RecordBook,
    today: dt.date,
    max_age_days: int = 365,
    bodies: tuple[str, ...] = ("board", "audit-committee"),
    topic: str = "security",
) -> Iterator[Finding]:
    """A board or audit-committee meeting covered security within the last year.

    Reads ``records/board-meetings*``: a meeting of one of ``bodies`` whose ``topics``
    include one naming ``topic``, dated within ``max_age_days``.
    """
    meetings = required_records(files_record_book, "board-meetings")
    wanted = {normalize_id(b) for b in bodies}
    best = None
    for row in meetings.rows:
        error = row_error(row, "date", "body", "topics") or future_error(row, "date", today)
        if error is not None:
            yield error
            continue
        day = row.date("date")
        body = normalize_id(row.text("body") or "")
        covers = any(topic.lower() in t.lower() for t in row.names("topics"))
        if day is None or body not in wanted or not covers:
            continue
        if best is None or day > (best.date("date") or day):
            best = row
    if best is not None:
        day = best.date("date")
        assert day is not None
        age = (today - day).days
        if age <= max_age_days:
            yield Finding(
                status=Status.PASS,
                resource_id=best.resource_id,
                resource_type=best.resource_type,
                message=f"the {best.text('body')} covered {topic} on {day} ({best.location})",
                evidence={"date": day, "body": best.text("body"), "minutes": best.text("minutes")},
            )
            return
    latest = f"; the latest was on {best.date('date')}" if best is not None else ""
    yield Finding(
        status=Status.FAIL,
        resource_id=meetings.resource_id,
        resource_type=meetings.resource_type,
        message=(
            f"no {' or '.join(bodies)} meeting covering {topic} within {max_age_days} days "
            f"in {meetings.expected}{latest}"
        ),
    )
