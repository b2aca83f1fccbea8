"""Subservice organizations: critical vendors' SOC 2 or ISO reports are reviewed yearly.

Physical security of the data centres is carried by the cloud providers, so their
assurance reports evidence CC6.4; reviewing vendors' reports is vendor risk
management (CC9.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, control, skip
from soc2checks_controls._tabular import by_key, key_of, record_set, row_error, verdict
from soc2checks_files.models import Vendor, VendorInventory, normalize_id
from soc2checks_files.records import RecordBook, RecordRow

subservice_reports = control("subservice-reports", criteria=["CC6.4", "CC9.2"])

# --- files ---


@subservice_reports.check(
    "files.vendors.subservice-reports",
    severity="medium",
    remediation=(
        "Obtain the vendor's current SOC 2 Type II or ISO 27001 report, review it, note "
        "the complementary user entity controls you carry, and add it to "
        "records/vendor-reports.csv (vendor, report, period_end, reviewed_on, cuecs)."
    ),
)
def files_subservice_reports(
    files_vendor_inventory: VendorInventory,
    files_record_book: RecordBook,
    today: dt.date,
    max_age_days: int = 365,
    criticalities: tuple[str, ...] = ("high", "critical"),
) -> Iterator[Finding]:
    """Every critical vendor has an assurance report reviewed within a year, CUECs noted.

    Critical vendors are active vendors of the inventory whose ``criticality`` is one
    of ``criticalities`` (list your cloud providers there: they carry physical
    security). Reports are matched by vendor name in ``records/vendor-reports*``.
    """
    inventory = files_vendor_inventory
    if not inventory.enabled:
        skip('the vendor inventory is not kept in this folder ([files] vendors = "")')
    inventory.raise_problems()
    assert inventory.found, f"no vendor inventory: expected {' or '.join(inventory.expected)}"
    reports = record_set(files_record_book, "vendor-reports")
    good = []
    for row in reports.rows:
        error = row_error(row, "vendor", "report", "reviewed_on", "cuecs")
        if error is not None:
            yield error
        else:
            good.append(row)
    by_vendor = by_key(good, "vendor")
    wanted = {normalize_id(c) for c in criticalities}
    critical = [
        v
        for v in inventory.vendors
        if v.active and v.criticality and normalize_id(v.criticality) in wanted
    ]
    assert critical, f"{inventory.path} marks no active vendor as {' or '.join(criticalities)}"
    for vendor in critical:
        yield _judge(
            vendor, by_vendor.get(key_of(vendor.name), []), reports.expected, today, max_age_days
        )


def _judge(
    vendor: Vendor, rows: list[RecordRow], where: str, today: dt.date, max_age: int
) -> Finding:
    rid = vendor.resource_id
    name = vendor.name or rid
    if not rows:
        return verdict(False, rid, f"{name} has no SOC 2 or ISO report in {where}", "files:vendor")
    latest = max(rows, key=lambda r: r.date("reviewed_on") or dt.date.min)
    reviewed = latest.date("reviewed_on")
    age = (today - reviewed).days if reviewed else max_age + 1
    if age > max_age:
        return verdict(
            False,
            rid,
            f"{name}: the {latest.text('report')} was last reviewed on {reviewed}, "
            f"{age} days ago (limit: {max_age})",
            "files:vendor",
        )
    if not latest.text("cuecs"):
        return verdict(
            False,
            rid,
            f"{name}: the review of the {latest.text('report')} ({latest.location}) "
            "notes no complementary user entity controls",
            "files:vendor",
        )
    return verdict(
        True,
        rid,
        f"{name}: {latest.text('report')} reviewed on {reviewed}",
        "files:vendor",
        report=latest.text("report"),
        reviewed_on=reviewed,
    )
