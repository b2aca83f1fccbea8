"""Security training: everyone completes security-awareness training, yearly and on joining.

Training shows the entity develops competent people (CC1.4) and communicates their
security responsibilities (CC2.2).
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
from soc2checks_files.records import RecordBook, RecordRow

security_training = control("security-training", criteria=["CC1.4", "CC2.2"])

# --- files ---


@security_training.check(
    "files.people.security-training",
    severity="medium",
    remediation=(
        "Have the person complete security-awareness training and add the completion to "
        "records/training.csv (email, course, completed_on)."
    ),
)
def files_security_training(
    files_record_book: RecordBook,
    today: dt.date,
    max_age_days: int = 365,
    onboarding_days: int = 30,
) -> Iterator[Finding]:
    """Every active person completed security-awareness training within the last year.

    Reads the personnel roster (``records/personnel*``) and the training completions
    (``records/training*``). An active person's latest completion must be within
    ``max_age_days``; someone who joined within the last ``max_age_days`` must have
    completed it no later than ``onboarding_days`` after their start. A joiner still
    inside the onboarding window is skipped (not yet due).
    """
    roster = sort_roster(required_records(files_record_book, "personnel"), today)
    training = required_records(files_record_book, "training")
    yield from roster.findings()
    done: dict[str, list[dt.date]] = {}
    for row in training.rows:
        error = row_error(row, "email", "completed_on") or future_error(row, "completed_on", today)
        if error is not None:
            yield error
            continue
        day = row.date("completed_on")
        if day is not None:
            done.setdefault(person(row), []).append(day)
    for row in roster.active:
        yield _judge(row, sorted(done.get(person(row), [])), today, max_age_days, onboarding_days)


def _judge(
    row: RecordRow, days: list[dt.date], today: dt.date, max_age_days: int, onboarding_days: int
) -> Finding:
    start = row.date("start_date")
    assert start is not None  # a required column; rows without it are errors
    deadline = start + dt.timedelta(days=onboarding_days)
    latest = days[-1] if days else None
    tenure = (today - start).days
    if tenure <= max_age_days:
        on_time = [d for d in days if d <= deadline]
        if on_time:
            return verdict(
                True, row, f"{who(row)} completed training on {on_time[0]}, by {deadline}"
            )
        if today <= deadline:
            return skipped(row, f"{who(row)} joined on {start}; training is due by {deadline}")
        late = f" (completed late, on {latest})" if latest else ""
        return verdict(
            False,
            row,
            f"{who(row)} joined on {start} and did not complete security training within "
            f"{onboarding_days} days{late}",
            start_date=start,
            completed_on=latest,
        )
    if latest is None:
        return verdict(False, row, f"{who(row)} has no security-training completion on record")
    age = (today - latest).days
    return verdict(
        age <= max_age_days,
        row,
        f"{who(row)} last completed security training on {latest}, {age} days ago"
        + ("" if age <= max_age_days else f" (limit: {max_age_days} days)"),
        completed_on=latest,
    )
