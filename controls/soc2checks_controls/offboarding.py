"""Offboarding: a leaver's access is removed within a day of their leaving date.

Removing access when it is no longer authorised is CC6.2 and CC6.3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, control
from soc2checks_controls._people import person, sort_roster, who
from soc2checks_controls._tabular import required_records, row_error, skipped, verdict
from soc2checks_files.records import RecordBook

offboarding = control("offboarding", criteria=["CC6.2", "CC6.3"])

# --- files ---


@offboarding.check(
    "files.people.offboarding",
    severity="high",
    remediation=(
        "Remove the leaver's access everywhere and record it in records/access-removals.csv "
        "(email, system, removed_on, ticket)."
    ),
)
def files_offboarding(
    files_record_book: RecordBook,
    today: dt.date,
    sla_days: int = 1,
    lookback_days: int = 365,
) -> Iterator[Finding]:
    """Every leaver's access-removal record is dated within ``sla_days`` of leaving.

    Leavers are roster rows whose ``end_date`` has passed; those who left more than
    ``lookback_days`` ago are outside the period and skipped. The latest removal
    recorded for the person (``records/access-removals*``) must be no later than
    ``sla_days`` after the end date. A roster row marked as a leaver without an end
    date is an ``error``.
    """
    roster = sort_roster(required_records(files_record_book, "personnel"), today)
    removals = required_records(files_record_book, "access-removals")
    yield from roster.findings()
    removed: dict[str, list[dt.date]] = {}
    for row in removals.rows:
        error = row_error(row, "email", "removed_on")
        if error is not None:
            yield error
            continue
        day = row.date("removed_on")
        if day is not None:
            removed.setdefault(person(row), []).append(day)
    for row in roster.leavers:
        end = row.date("end_date")
        if end is None:
            continue  # leavers have an end date by construction
        if (today - end).days > lookback_days:
            yield skipped(row, f"{who(row)} left on {end}, before the last {lookback_days} days")
            continue
        days = sorted(removed.get(person(row), []))
        if not days:
            yield verdict(False, row, f"{who(row)} left on {end}; no access removal is recorded")
            continue
        late = (days[-1] - end).days
        yield verdict(
            late <= sla_days,
            row,
            f"{who(row)} left on {end}; access removed on {days[-1]}"
            + ("" if late <= sla_days else f", {late} days later (limit: {sla_days})"),
            end_date=end,
            removed_on=days[-1],
        )
