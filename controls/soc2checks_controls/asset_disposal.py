"""Asset disposal: every disposed asset has a disposal or wipe certificate.

Disposing of physical assets only once their data is unrecoverable is CC6.5; it is
also how confidential information on them is disposed of (C1.2).
"""

from __future__ import annotations

from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._tabular import (
    by_key,
    label,
    record_set,
    required_records,
    row_error,
    verdict,
)
from soc2checks_files.models import normalize_id
from soc2checks_files.records import RecordBook

asset_disposal = control("asset-disposal", criteria=["CC6.5", "C1.2"])

# --- files ---

DISPOSED_STATUSES = frozenset({"disposed", "destroyed", "recycled", "wiped", "sold"})


@asset_disposal.check(
    "files.assets.disposal",
    severity="medium",
    remediation=(
        "Obtain the disposal or wipe certificate from the disposal vendor and add it to "
        "records/disposal-certificates.csv (asset_id, date, method, certificate)."
    ),
)
def files_asset_disposal(files_record_book: RecordBook) -> Iterator[Finding]:
    """Every asset marked disposed in the asset register has a disposal certificate.

    An asset is disposed when its ``status`` says so (disposed, destroyed, recycled,
    wiped, sold) or it has a ``disposed_on`` date. Certificates are matched by
    ``asset_id`` in ``records/disposal-certificates*``.
    """
    assets = required_records(files_record_book, "assets")
    assert assets.rows, f"the asset register ({', '.join(assets.files)}) lists no asset"
    certificates = record_set(files_record_book, "disposal-certificates")
    certified = {}
    for row in certificates.rows:
        error = row_error(row, "asset_id", "date", "certificate")
        if error is not None:
            yield error
            continue
        certified.update({k: v[0] for k, v in by_key([row], "asset_id").items()})
    disposed = 0
    for row in assets.rows:
        error = row_error(row, "asset_id", "status", "disposed_on")
        if error is not None:
            yield error
            continue
        status = normalize_id(row.text("status") or "")
        if status not in DISPOSED_STATUSES and row.date("disposed_on") is None:
            continue
        disposed += 1
        name = label(row, "asset_id")
        cert = certified.get((row.text("asset_id") or "").strip().lower())
        if cert is None:
            where = (
                certificates.expected
                if certificates.found
                else (f"{certificates.expected} (no such file)")
            )
            yield verdict(False, row, f"asset {name} is disposed with no certificate in {where}")
        else:
            yield verdict(
                True,
                row,
                f"asset {name}: certificate {cert.text('certificate')} of {cert.date('date')}",
            )
    if not disposed:
        yield Finding(
            status=Status.PASS,
            resource_id=assets.resource_id,
            resource_type=assets.resource_type,
            message=f"no asset of the {assets.row_count} in the register is disposed",
        )
