"""Background checks: every hire is screened before, or just after, they start.

Screening people with access to the system is how CC1.4 (competent, trustworthy
people) is commonly evidenced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, control
from soc2checks_controls._people import person, sort_roster, who
from soc2checks_controls._tabular import (
    future_error,
    required_records,
    row_error,
    skipped,
    verdict,
)
from soc2checks_files.records import RecordBook

background_checks = control("background-checks", criteria=["CC1.4"])

# --- files ---


@background_checks.check(
    "files.people.background-check",
    severity="medium",
    remediation=(
        "Complete the person's background check and add it to "
        "records/background-checks.csv (email, completed_on, result)."
    ),
)
def files_background_check(
    files_record_book: RecordBook,
    today: dt.date,
    since: dt.date | None = None,
    grace_days: int = 7,
) -> Iterator[Finding]:
    """Every active person hired after ``since`` has a background check on record.

    Reads the personnel roster and ``records/background-checks*``. The check must be
    dated before the start date or within ``grace_days`` after it. People who started
    before ``since`` (the policy's effective date; default: everyone) are skipped.
    """
    roster = sort_roster(required_records(files_record_book, "personnel"), today)
    checks = required_records(files_record_book, "background-checks")
    yield from roster.findings()
    done: dict[str, list[dt.date]] = {}
    for row in checks.rows:
        error = row_error(row, "email", "completed_on") or future_error(row, "completed_on", today)
        if error is not None:
            yield error
            continue
        day = row.date("completed_on")
        if day is not None:
            done.setdefault(person(row), []).append(day)
    for row in roster.active:
        start = row.date("start_date")
        if start is None:
            continue  # a required column: rows without it are errors above
        if since is not None and start < since:
            yield skipped(row, f"{who(row)} started on {start}, before {since}")
            continue
        deadline = start + dt.timedelta(days=grace_days)
        days = sorted(done.get(person(row), []))
        on_time = [d for d in days if d <= deadline]
        if on_time:
            yield verdict(True, row, f"{who(row)}: background check on {on_time[0]}")
        elif days:
            yield verdict(
                False,
                row,
                f"{who(row)} started on {start}; the background check came on {days[0]}, "
                f"after the {grace_days}-day grace period",
            )
        else:
            yield verdict(False, row, f"{who(row)} started on {start} with no background check")
