"""Vendor management: every vendor is inventoried and reviewed yearly.

A vendor inventory with periodic reviews evidences vendor risk management (CC9.2).
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control, skip
from soc2checks_files.models import (
    FUTURE_SLACK_DAYS,
    Vendor,
    VendorInventory,
    age_in_days,
)

vendor_management = control("vendor-management", criteria=["CC9.2"])

# Checks for every provider sit side by side below, grouped by provider.

# --- files ---


@vendor_management.check(
    "files.vendors.inventory-present",
    over="files_vendor_inventory",
    severity="medium",
    evidence=["path", "found", "format", "vendor_count"],
    remediation=(
        "Keep a vendor inventory as vendors.csv (columns name, owner, criticality, "
        "last_reviewed) or vendors.yaml (a 'vendors' list with the same keys)."
    ),
)
def files_vendor_inventory_present(inventory: VendorInventory) -> None:
    """A vendor inventory exists and lists at least one vendor.

    Skipped when ``[files] vendors = ""`` says the inventory is kept elsewhere.
    """
    if not inventory.enabled:
        skip('the vendor inventory is not kept in this folder ([files] vendors = "")')
    inventory.raise_problems()
    assert inventory.found, f"no vendor inventory: expected {' or '.join(inventory.expected)}"
    assert inventory.vendor_count, f"{inventory.path} lists no vendors"


@vendor_management.check(
    "files.vendors.reviewed",
    over="files_vendors",
    severity="medium",
    evidence=["path", "line", "name", "owner", "criticality", "status", "last_reviewed"],
    remediation=(
        "Review the vendor (its SOC 2 report or security questionnaire, its access, the "
        "contract) and update last_reviewed in the vendor inventory."
    ),
)
def files_vendor_reviewed(vendor: Vendor, today: dt.date, max_age_days: int = 365) -> None:
    """The vendor was reviewed within the last year (``max_age_days``, UTC).

    Judged from the vendor's ``last_reviewed`` in the inventory. Vendors no longer
    used (``status`` inactive, offboarded, terminated or retired) are skipped.
    """
    vendor.raise_problems("status", "last_reviewed")
    label = vendor.name or f"the vendor on {vendor.path}:{vendor.line}"
    if not vendor.active:
        skip(f"{label} is {vendor.status}")
    reviewed = vendor.last_reviewed
    assert reviewed is not None, f"{label} ({vendor.path}:{vendor.line}) has no last_reviewed"
    age = age_in_days(reviewed, today)
    assert age >= -FUTURE_SLACK_DAYS, (
        f"{label}: last_reviewed {reviewed.isoformat()} is in the future"
    )
    assert age <= max_age_days, (
        f"{label} was last reviewed on {reviewed.isoformat()}, {age} days ago "
        f"(limit: {max_age_days} days)"
    )
