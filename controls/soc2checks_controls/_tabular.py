"""Judging tabular records: the shared steps of every check over the records engine.

A check asks for the record set it needs (:func:`required_records`): a missing one
fails the check ("no training records in compliance/records/training*"), a malformed
file is an ``error``. Rows whose fields the check reads are malformed become ``error``
findings of their own (:func:`row_error`); the rest are judged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from soc2checks import Finding, Status, skip
from soc2checks_files.models import FUTURE_SLACK_DAYS, normalize_id
from soc2checks_files.records import RecordBook, RecordRow, RecordSet

#: Roster ``status`` values of people who have left.
LEAVER_STATUSES = frozenset(
    {"terminated", "left", "leaver", "inactive", "offboarded", "resigned", "former"}
)
#: Tracker and request ``status`` values that close an item.
CLOSED_STATUSES = frozenset({"closed", "resolved", "done", "fixed", "remediated", "cancelled"})


def record_set(book: RecordBook, name: str) -> RecordSet:
    """The records of type ``name``, which may be missing; a malformed file is an error."""
    records = book.get(name)
    if not records.enabled:
        skip('records are not kept in this folder ([files] records = "")')
    records.raise_problems()
    return records


def required_records(book: RecordBook, name: str) -> RecordSet:
    """The records of type ``name``: missing files fail the check, malformed ones error."""
    records = record_set(book, name)
    assert records.found, f"no {records.title} in {records.expected}"
    return records


def row_error(row: RecordRow, *fields: str) -> Finding | None:
    """An ``error`` finding if the row, or one of ``fields``, could not be read."""
    found = row.problems_for(*fields)
    if not found:
        return None
    return Finding(
        status=Status.ERROR,
        resource_id=row.resource_id,
        resource_type=row.resource_type,
        message="; ".join(str(p) for p in found),
        evidence={"path": row.path, "line": row.line},
    )


def verdict(
    ok: bool, row: RecordRow | str, message: str, resource_type: str = "", **evidence: Any
) -> Finding:
    """A pass or fail finding on a row (or a named resource)."""
    if isinstance(row, RecordRow):
        rid, rtype = row.resource_id, row.resource_type
        evidence = {"path": row.path, "line": row.line, **evidence}
    else:
        rid, rtype = row, resource_type
    return Finding(
        status=Status.PASS if ok else Status.FAIL,
        resource_id=rid,
        resource_type=rtype,
        message=message,
        evidence=evidence,
    )


def skipped(row: RecordRow, message: str) -> Finding:
    return Finding(
        status=Status.SKIP,
        resource_id=row.resource_id,
        resource_type=row.resource_type,
        message=message,
        evidence={"path": row.path, "line": row.line},
    )


def future_error(row: RecordRow, field: str, today: dt.date) -> Finding | None:
    """An ``error`` if the row's date ``field`` is in the future (a typo, not a record)."""
    day = row.date(field)
    if day is not None and (day - today).days > FUTURE_SLACK_DAYS:
        return Finding(
            status=Status.ERROR,
            resource_id=row.resource_id,
            resource_type=row.resource_type,
            message=f"{row.location}: {field} {day.isoformat()} is in the future",
            evidence={"path": row.path, "line": row.line},
        )
    return None


def key_of(value: str | None) -> str:
    """How names are matched across records: case-insensitive, trimmed."""
    return (value or "").strip().lower()


def by_key(rows: Iterable[RecordRow], field: str) -> dict[str, list[RecordRow]]:
    """Rows grouped by the matching key of ``field`` (rows without it are left out)."""
    out: dict[str, list[RecordRow]] = {}
    for row in rows:
        k = key_of(row.text(field))
        if k:
            out.setdefault(k, []).append(row)
    return out


def is_closed(status: str | None) -> bool:
    return status is not None and normalize_id(status) in CLOSED_STATUSES


def label(row: RecordRow, field: str) -> str:
    """The row's ``field`` for messages, else its location."""
    return row.text(field) or f"the row at {row.location}"
