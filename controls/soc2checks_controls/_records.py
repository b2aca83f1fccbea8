"""Judging "a recent record of this kind exists" for the documents-and-records checks.

Shared by the disaster-recovery and incident-response checks, which differ only in the
kind of record they look for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, skip
from soc2checks_files.models import FilesRoot, Record, age_in_days, select_records


def recent_record_findings(
    *,
    kind: str,
    records: list[Record],
    root: FilesRoot,
    record_types: tuple[str, ...],
    max_age_days: int,
    required_fields: tuple[str, ...],
    today: dt.date,
) -> Iterator[Finding]:
    """Pass on the newest complete record within ``max_age_days``; else fail or error.

    A record whose type or date cannot be read is an ``error`` finding of its own; if
    no valid record qualifies, those errors stand instead of a failure.
    """
    if not root.records:
        skip('records are not kept in this folder ([files] records = "")')
    selection = select_records(records, record_types, max_age_days, required_fields, today)
    for record in selection.broken:
        yield Finding(
            status=Status.ERROR,
            resource_id=record.resource_id,
            resource_type="files:record",
            message="; ".join(str(p) for p in record.problems_for("type", "date")),
        )
    if selection.complete:
        best = selection.complete[0]
        yield Finding(
            status=Status.PASS,
            resource_id=best.resource_id,
            resource_type="files:record",
            message=f"{kind} on {best.date} recorded in {best.path}",
            evidence={"type": best.type, "date": best.date, "outcome": best.outcome},
        )
        return
    if selection.recent:
        best = selection.recent[0]
        missing = [k for k in required_fields if not best.value(k)]
        yield Finding(
            status=Status.FAIL,
            resource_id=best.resource_id,
            resource_type="files:record",
            message=f"{best.path} ({kind} on {best.date}) does not give {', '.join(missing)}",
            evidence={"type": best.type, "date": best.date, "missing": missing},
        )
        return
    if selection.broken:
        return  # the errors above stand: a broken record may be the one looked for
    message = f"no {kind} record dated within {max_age_days} days in "
    message += root.display(root.records)
    latest = selection.latest
    if latest is not None and latest.date is not None:
        age = age_in_days(latest.date, today)
        when = f"{age} days ago" if age >= 0 else "in the future"
        message += f"; the latest, {latest.path}, is dated {latest.date} ({when})"
    yield Finding(
        status=Status.FAIL,
        resource_id=root.records,
        resource_type="files:record",
        message=message,
        evidence={"record_types": list(record_types), "latest": latest and latest.resource_id},
    )
