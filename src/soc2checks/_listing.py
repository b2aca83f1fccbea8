"""``soc2checks list``: checks, controls, criteria, plugins and resources as rows.

Each listing is a list of rows with the same keys; ``table`` prints them aligned under
upper-case headers, ``json`` prints them as a JSON list of objects (keys sorted, rows in
the table's order, lists where a value has several parts) for scripts and CI.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soc2checks._engine import Prepared

Row = dict[str, Any]


def listing(prep: Prepared, what: str, fmt: str = "table", framework: str | None = None) -> str:
    """The text of ``soc2checks list WHAT --format FMT [--framework ID]``."""
    footer = ""
    if what == "criteria":
        rows, columns, footer = _criteria(prep, framework)
    else:
        rows, columns = _ROWS[what](prep)
    if fmt == "json":
        return json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return _table(rows, columns) + (f"\n{footer}\n" if footer else "")


def _table(rows: list[Row], columns: list[str]) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, list):
            return ",".join(str(v) for v in value) or "-"
        if isinstance(value, dict):
            return ",".join(f"{k}:{v}" for k, v in sorted(value.items())) or "-"
        return "-" if value is None or value == "" else str(value)

    headers = [c.upper() for c in columns]
    cells = [[cell(r[c]) for c in columns] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(headers, *cells, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _checks(prep: Prepared) -> tuple[list[Row], list[str]]:
    rows = [
        {
            "check": c.id,
            "control": c.control.id,
            "criteria": list(c.criteria),
            "severity": c.spec.severity.value,
            "provider": c.provider,
            "title": c.spec.title,
        }
        for c in prep.selected
    ]
    return rows, ["check", "control", "criteria", "severity", "provider", "title"]


def _controls(prep: Prepared) -> tuple[list[Row], list[str]]:
    counts: dict[str, int] = {}
    for c in prep.selected:
        counts[c.control.id] = counts.get(c.control.id, 0) + 1
    owners = prep.config.data.owners
    rows = [
        {
            "control": ctl.id,
            "criteria": list(ctl.criteria),
            "checks": counts.get(ctl.id, 0),
            "owner": owners.get(ctl.id),
            "title": ctl.title,
        }
        for ctl in sorted(prep.registry.controls.values(), key=lambda x: x.id)
    ]
    return rows, ["control", "criteria", "checks", "owner", "title"]


def _criteria(prep: Prepared, framework: str | None) -> tuple[list[Row], list[str], str]:
    """Per requirement of the framework (TSC by default): the kind of evidence that covers
    it (automated, records, documents, or none) and the checks per provider."""
    from soc2checks._readiness import criteria_listing

    rows, footer = criteria_listing(prep.registry, prep.selected, framework)
    return rows, ["criterion", "category", "evidence", "checks", "title"], footer


def _plugins(prep: Prepared) -> tuple[list[Row], list[str]]:
    rows = [
        {
            "plugin": p.name,
            "distribution": p.distribution,
            "version": p.version,
            "origin": p.origin,
        }
        for p in sorted(prep.registry.plugins, key=lambda p: p.name)
    ]
    return rows, ["plugin", "distribution", "version", "origin"]


def _resources(prep: Prepared) -> tuple[list[Row], list[str]]:
    rows = [
        {
            "resource": f.name,
            "provider": f.provider or None,
            "scope": ("fan-out:" + str(f.spec.scope)) if f.spec.fanout else f.spec.scope,
            "type": f.spec.resource_type or None,
            "permissions": list(f.spec.permissions),
        }
        for f in sorted(prep.registry.fixtures.values(), key=lambda f: f.name)
    ]
    return rows, ["resource", "provider", "scope", "type", "permissions"]


_ROWS = {
    "checks": _checks,
    "controls": _controls,
    "plugins": _plugins,
    "resources": _resources,
}
