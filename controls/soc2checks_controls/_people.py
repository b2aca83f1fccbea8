"""The personnel roster, sorted into active people and leavers, for the people checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from soc2checks import Finding, Status
from soc2checks_controls._tabular import LEAVER_STATUSES, key_of, row_error
from soc2checks_files.models import normalize_id
from soc2checks_files.records import RecordRow, RecordSet

ROSTER_FIELDS = ("email", "start_date", "end_date", "status")


@dataclass
class Roster:
    """Active people and leavers of the roster as of a date, and rows that could not be read."""

    active: list[RecordRow] = field(default_factory=list)
    leavers: list[RecordRow] = field(default_factory=list)
    joining: list[RecordRow] = field(default_factory=list)
    """People whose start date is still ahead."""
    errors: list[Finding] = field(default_factory=list)

    def findings(self) -> Iterator[Finding]:
        yield from self.errors


def sort_roster(roster: RecordSet, today: dt.date) -> Roster:
    """Who is active on ``today``: started, not past their end date, not marked a leaver.

    A row marked a leaver without an end date, or with an end date before its start
    date, is an ``error``: the roster cannot say when the person left.
    """
    assert roster.rows, f"the personnel roster ({', '.join(roster.files)}) lists no one"
    out = Roster()
    for row in roster.rows:
        error = row_error(row, *ROSTER_FIELDS)
        if error is not None:
            out.errors.append(error)
            continue
        start, end = row.date("start_date"), row.date("end_date")
        status = row.text("status")
        marked_leaver = status is not None and normalize_id(status) in LEAVER_STATUSES
        if start is not None and end is not None and end < start:
            out.errors.append(
                Finding(
                    status=Status.ERROR,
                    resource_id=row.resource_id,
                    resource_type=row.resource_type,
                    message=f"{row.location}: end_date {end} is before start_date {start}",
                )
            )
            continue
        if marked_leaver and end is None:
            out.errors.append(
                Finding(
                    status=Status.ERROR,
                    resource_id=row.resource_id,
                    resource_type=row.resource_type,
                    message=(
                        f"{row.location}: {row.text('email')} is marked {status} but has no "
                        "end_date: give the leaving date"
                    ),
                )
            )
            continue
        if end is not None and end <= today:
            out.leavers.append(row)
        elif start is not None and start > today:
            out.joining.append(row)
        else:
            out.active.append(row)
    return out


def person(row: RecordRow) -> str:
    """The person's matching key (their email, lower-case)."""
    return key_of(row.text("email"))


def who(row: RecordRow) -> str:
    name = row.text("name")
    email = row.text("email") or row.location
    return f"{name} <{email}>" if name else email
