"""Vendor data-processing agreements: vendors processing personal data signed a DPA.

Obtaining privacy commitments from vendors is P6.4.
"""

from __future__ import annotations

from collections.abc import Iterator

from soc2checks import Finding, control, skip
from soc2checks_controls._tabular import by_key, key_of, record_set, row_error, verdict
from soc2checks_files.models import VendorInventory
from soc2checks_files.records import RecordBook

vendor_dpa = control("vendor-dpa", criteria=["P6.4"])

# --- files ---

_YES = frozenset({"yes", "true", "y", "1", "x"})


@vendor_dpa.check(
    "files.privacy.vendor-dpa",
    severity="high",
    remediation=(
        "Sign a data-processing agreement with the vendor and add it to records/dpas.csv "
        "(vendor, signed_on, reference)."
    ),
)
def files_vendor_dpa(
    files_vendor_inventory: VendorInventory,
    files_record_book: RecordBook,
    column: str = "personal_data",
) -> Iterator[Finding]:
    """Every active vendor that processes personal data has a signed DPA on record.

    The vendor inventory says which vendors process personal data in a ``column``
    (default ``personal_data``: yes or no); an inventory without that column fails,
    since it cannot say. DPAs are matched by vendor name in ``records/dpas*``.
    """
    inventory = files_vendor_inventory
    if not inventory.enabled:
        skip('the vendor inventory is not kept in this folder ([files] vendors = "")')
    inventory.raise_problems()
    assert inventory.found, f"no vendor inventory: expected {' or '.join(inventory.expected)}"
    assert any(column in v.other for v in inventory.vendors), (
        f"{inventory.path} does not say which vendors process personal data: add a "
        f"{column} column (yes or no)"
    )
    dpas = record_set(files_record_book, "dpas")
    good = []
    for row in dpas.rows:
        error = row_error(row, "vendor", "signed_on")
        if error is not None:
            yield error
        else:
            good.append(row)
    signed = by_key(good, "vendor")
    judged = 0
    for vendor in inventory.vendors:
        flag = vendor.other.get(column)
        if not vendor.active or not isinstance(flag, str) or flag.strip().lower() not in _YES:
            continue
        judged += 1
        name = vendor.name or vendor.resource_id
        rows = signed.get(key_of(vendor.name))
        yield verdict(
            bool(rows),
            vendor.resource_id,
            f"{name}: DPA signed on {rows[0].date('signed_on')} ({rows[0].location})"
            if rows
            else f"{name} processes personal data with no signed DPA in {dpas.expected}",
            "files:vendor",
        )
    if not judged:
        yield verdict(
            True,
            inventory.resource_id,
            f"{inventory.path} marks no active vendor as processing personal data",
            "files:vendor-inventory",
        )
