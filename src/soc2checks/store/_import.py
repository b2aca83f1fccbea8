"""``store import``: runs from ``soc2checks/findings/v1`` files written before the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from soc2checks.store._canonical import canonical, digest, utc_text
from soc2checks.store._record import Entry, finding_body, make_entry


def imported_run(path: Path) -> tuple[dict[str, Any], list[Entry]]:
    """The metadata and entries of one findings file; no raw evidence is available."""
    from soc2checks.reporters.json import load_findings_json
    from soc2checks.store._open import StoreError

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    result = load_findings_json(data, source=str(path))
    run = result.run
    from soc2checks._model import Summary

    counts = Summary.of(result.findings).as_dict()
    fetch_errors = any(
        f.status.value == "error" and f.message.startswith("could not fetch")
        for f in result.findings
    )
    meta: dict[str, Any] = {
        "id": run.id,
        "provenance": "imported",
        "state": "partial" if fetch_errors else "complete",
        "started_at": utc_text(run.started_at),
        "finished_at": utc_text(run.finished_at),
        "tool_version": run.tool_version,
        "plugins": [p.model_dump(mode="json") for p in run.plugins],
        "config_digest": run.config_digest,
        "selection": None,
        "who": None,
        "warnings": list(run.warnings),
        "facts": run.facts,
        "counts": counts,
        "source": {"file": path.name, "sha256": digest(data)},
    }
    entries = [
        make_entry(
            (f.check_id, f.provider, dict(sorted(f.scope.items())), f.resource_id),
            canonical(finding_body(f)),
        )
        for f in result.findings
    ]
    return meta, entries
