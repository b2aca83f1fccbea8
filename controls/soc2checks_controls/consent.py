"""Choice and consent: purposes that need consent record their lawful basis.

Communicating choices and obtaining consent is P2.1; explicit consent where required
is P3.2.
"""

from __future__ import annotations

from collections.abc import Iterator

from soc2checks import Finding, control
from soc2checks_controls._tabular import label, required_records, row_error, skipped, verdict
from soc2checks_files.records import RecordBook

consent = control("consent", criteria=["P2.1", "P3.2"])

# --- files ---


@consent.check(
    "files.privacy.consent",
    severity="medium",
    remediation=(
        "Record each purpose of processing in records/consent-register.csv (purpose, "
        "requires_consent, lawful_basis, mechanism) with how consent is obtained."
    ),
)
def files_consent(files_record_book: RecordBook) -> Iterator[Finding]:
    """The consent register exists and each purpose requiring consent has a lawful basis.

    Reads ``records/consent*``. Purposes that do not require consent are skipped.
    """
    register = required_records(files_record_book, "consent-register")
    assert register.rows, f"the consent register {', '.join(register.files)} lists no purpose"
    for row in register.rows:
        error = row_error(row, "purpose", "requires_consent", "lawful_basis")
        if error is not None:
            yield error
            continue
        name = label(row, "purpose")
        if not row.flag("requires_consent"):
            yield skipped(row, f"{name} does not require consent")
            continue
        basis = row.text("lawful_basis")
        yield verdict(
            basis is not None,
            row,
            f"{name}: lawful basis {basis}"
            if basis
            else f"{name} requires consent but records no lawful basis",
            mechanism=row.text("mechanism"),
        )
