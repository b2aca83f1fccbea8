"""Retention: each data category has a retention period, and due disposals are done.

Retaining personal information only as long as needed is P4.2, disposing of it
securely P4.3, and disposing of confidential information C1.2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._tabular import (
    key_of,
    label,
    required_records,
    row_error,
    skipped,
    verdict,
)
from soc2checks_files.records import RecordBook

retention = control("retention", criteria=["P4.2", "P4.3", "C1.2"])

# --- files ---


@retention.check(
    "files.privacy.retention",
    severity="medium",
    remediation=(
        "Keep a retention schedule (records/retention-schedule.csv: data_category, "
        "retention_days, disposal_method) and log each disposal in "
        "records/disposal-log.csv (data_category, due_on, disposed_on, method)."
    ),
)
def files_retention(files_record_book: RecordBook, today: dt.date) -> Iterator[Finding]:
    """A retention schedule exists per data category; the disposal log shows due disposals done.

    Reads ``records/retention-schedule*`` and ``records/disposal-log*``. Each
    disposal due by today must have a ``disposed_on`` date no earlier than needed; a
    category in the log must be in the schedule. Disposals not yet due are skipped.
    """
    schedule = required_records(files_record_book, "retention-schedule")
    log = required_records(files_record_book, "disposal-log")
    categories: set[str] = set()
    for row in schedule.rows:
        error = row_error(row, "data_category", "retention_days")
        if error is not None:
            yield error
            continue
        categories.add(key_of(row.text("data_category")))
    assert schedule.rows, f"the retention schedule {', '.join(schedule.files)} lists no category"
    yield Finding(
        status=Status.PASS,
        resource_id=schedule.resource_id,
        resource_type=schedule.resource_type,
        message=f"the retention schedule covers {len(categories)} data categories",
        evidence={"categories": sorted(categories)},
    )
    for row in log.rows:
        error = row_error(row, "data_category", "due_on", "disposed_on")
        if error is not None:
            yield error
            continue
        name = label(row, "data_category")
        if key_of(row.text("data_category")) not in categories:
            yield verdict(False, row, f"{name} is not in the retention schedule")
            continue
        due, done = row.date("due_on"), row.date("disposed_on")
        assert due is not None  # required
        if done is None:
            if due > today:
                yield skipped(row, f"disposal of {name} is due on {due}")
            else:
                yield verdict(False, row, f"disposal of {name} was due on {due} and is not done")
            continue
        yield verdict(True, row, f"{name} due on {due} was disposed of on {done}")
