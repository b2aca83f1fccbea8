"""Disclosures: each disclosure of personal information to a third party is recorded.

Disclosing only with consent or another basis is P6.1; records of authorised (P6.2)
and unauthorised (P6.3) disclosures, and an accounting of what was disclosed (P6.7).
"""

from __future__ import annotations

from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._tabular import label, required_records, row_error, verdict
from soc2checks_files.records import RecordBook

disclosures = control("disclosures", criteria=["P6.1", "P6.2", "P6.3", "P6.7"])

# --- files ---


@disclosures.check(
    "files.privacy.disclosures",
    severity="medium",
    remediation=(
        "Record the disclosure in records/disclosures.csv (date, recipient, "
        "data_categories, basis, authorised, incident): its basis when authorised, the "
        "incident when not."
    ),
)
def files_disclosures(files_record_book: RecordBook) -> Iterator[Finding]:
    """The disclosures register records each third-party disclosure with its basis.

    Reads ``records/disclosures*``. An authorised disclosure (``authorised`` yes or
    empty) needs a ``basis`` and the ``data_categories`` disclosed; an unauthorised
    one needs the ``incident`` that handled it. An empty register passes.
    """
    register = required_records(files_record_book, "disclosures")
    for row in register.rows:
        error = row_error(row, "date", "recipient", "data_categories", "basis", "authorised")
        if error is not None:
            yield error
            continue
        who = f"disclosure to {label(row, 'recipient')} on {row.date('date')}"
        if row.flag("authorised") is False:
            incident = row.text("incident")
            yield verdict(
                incident is not None,
                row,
                f"unauthorised {who} handled in {incident}"
                if incident
                else f"unauthorised {who} names no incident",
            )
            continue
        missing = [k for k in ("basis", "data_categories") if not row.value(k)]
        yield verdict(
            not missing,
            row,
            f"{who} lacks {' and '.join(missing)}" if missing else f"{who}: {row.text('basis')}",
        )
    if not register.rows:
        yield Finding(
            status=Status.PASS,
            resource_id=register.resource_id,
            resource_type=register.resource_type,
            message=f"no disclosure recorded in {', '.join(register.files)}",
        )
