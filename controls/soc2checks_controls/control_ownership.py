"""Control ownership: every selected control has a named owner.

Holding individuals accountable for internal control is CC1.5; assigning each
control activity to someone is part of selecting and developing it (CC5.1).
"""

from __future__ import annotations

from collections.abc import Iterator

from soc2checks import Config, Finding, Status, control
from soc2checks_controls._tabular import key_of, record_set, row_error
from soc2checks_files.records import RecordBook

control_ownership = control("control-owners", criteria=["CC1.5", "CC5.1"])

# --- files ---


@control_ownership.check(
    "files.governance.control-owners",
    severity="medium",
    remediation=(
        "Name the control's owner in the [owners] table of soc2checks.toml "
        '(`mfa-enforced = "Dana Whitfield"`) or in records/control-matrix.csv '
        "(control, owner)."
    ),
)
def files_control_owners(
    selected_controls: tuple[str, ...], config: Config, files_record_book: RecordBook
) -> Iterator[Finding]:
    """Every control the run's selected checks implement has an owner.

    The owner comes from the config's ``[owners]`` table, else from the control
    matrix (``records/control-matrix*``: control, owner). One finding per control.
    """
    if not selected_controls:
        raise RuntimeError("the engine passed no selected controls to judge")
    owners = {key_of(k): v for k, v in config.data.owners.items() if v and v.strip()}
    matrix = record_set(files_record_book, "control-matrix")
    from_matrix: dict[str, str] = {}
    for row in matrix.rows:
        error = row_error(row, "control", "owner")
        if error is not None:
            yield error
            continue
        owner = row.text("owner")
        if owner:
            from_matrix.setdefault(key_of(row.text("control")), f"{owner} ({row.location})")
    for control_id in selected_controls:
        owner = owners.get(key_of(control_id))
        where = f"{owner} ([owners] in {config.source})" if owner else None
        where = where or from_matrix.get(key_of(control_id))
        yield Finding(
            status=Status.PASS if where else Status.FAIL,
            resource_id=control_id,
            resource_type="files:control",
            message=f"{control_id} is owned by {where}"
            if where
            else f"{control_id} has no owner in [owners] or in {matrix.expected}",
        )
