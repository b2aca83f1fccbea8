"""Baselines: the failing and erroring findings a CI gate compares against."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soc2checks._errors import UsageError
from soc2checks._model import Finding, Status

SCHEMA = "soc2checks/baseline/v1"
Fingerprint = tuple[str, str, tuple[tuple[str, str], ...], str]


@dataclass(frozen=True)
class Baseline:
    failing: frozenset[Fingerprint]
    erroring: frozenset[Fingerprint]


def _entry(f: Finding) -> dict[str, Any]:
    return {
        "check_id": f.check_id,
        "provider": f.provider,
        "scope": dict(sorted(f.scope.items())),
        "resource_id": f.resource_id,
        "status": f.status.value,
        "message": f.message,
    }


def dump_baseline(findings: Iterable[Finding]) -> str:
    """The baseline document for ``findings``: its failing and erroring ones."""
    rows = [
        _entry(f)
        for f in sorted(findings, key=Finding.sort_key)
        if f.status in (Status.FAIL, Status.ERROR)
    ]
    return json.dumps({"schema": SCHEMA, "findings": rows}, indent=2, sort_keys=True) + "\n"


def write_baseline(path: str | Path, findings: Iterable[Finding]) -> None:
    Path(path).write_text(dump_baseline(findings), encoding="utf-8")


def load_baseline(path: str | Path) -> Baseline:
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"{p}: baseline not found (create one with --write-baseline {p})"
        ) from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{p}: not a readable baseline: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise UsageError(f"{p}: not a soc2checks baseline (expected schema '{SCHEMA}')")
    failing: set[Fingerprint] = set()
    erroring: set[Fingerprint] = set()
    try:
        for row in doc["findings"]:
            fp: Fingerprint = (
                str(row["check_id"]),
                str(row["provider"]),
                tuple(sorted((str(k), str(v)) for k, v in row["scope"].items())),
                str(row["resource_id"]),
            )
            (failing if row["status"] == "fail" else erroring).add(fp)
    except (KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"{p}: malformed baseline entry ({type(exc).__name__}: {exc})") from None
    return Baseline(frozenset(failing), frozenset(erroring))


STALE_ENTRY = "baseline entry no longer fails: "


def stale_entries(base: Baseline, findings: Iterable[Finding]) -> list[Fingerprint]:
    """Baseline failures that this run shows fixed, sorted.

    An entry is stale when its finding now passes or is skipped, or when its check
    judged the entry's scope in this run without an error and the resource is gone.
    An entry whose check or scope did not run, or whose scope could not be judged, is
    not known to be fixed and is not listed.
    """
    if not base.failing:
        return []
    failing = base.failing
    wanted: dict[str, set[str]] = {}
    for fp in failing:
        wanted.setdefault(fp[0], set()).add(fp[3])
    fixed = (Status.PASS, Status.SKIP)
    now_fixed: dict[Fingerprint, bool] = {}  # every finding of the entry passes or skips
    # Per (check, scope dict): a finding that names it, and whether all judged cleanly.
    # Findings of one judged scope share their scope dict, so there are few of these;
    # findings arrive sorted, so consecutive ones mostly share check and scope.
    visited: dict[tuple[str, int], list[Any]] = {}
    last_check: str | None = None
    last_scope: object = None
    rids: set[str] | None = None
    entry: list[Any] = []
    for f in findings:
        check_id = f.check_id
        if check_id != last_check:
            last_check, last_scope, rids = check_id, None, wanted.get(check_id)
        if rids is None:
            continue
        scope = f.scope
        if scope is not last_scope:
            entry = visited.get((check_id, id(scope))) or []
            if not entry:
                entry = visited[(check_id, id(scope))] = [f, True, tuple(sorted(scope.items()))]
            last_scope = scope
        status = f.status
        if status is Status.ERROR:
            entry[1] = False
        rid = f.resource_id
        if rid in rids:
            fp = (check_id, f.provider, entry[2], rid)
            if fp in failing:
                now_fixed[fp] = now_fixed.get(fp, True) and status in fixed
    judged: dict[tuple[str, str, tuple[tuple[str, str], ...]], bool] = {}
    for first, ok, frozen in visited.values():
        key = (first.check_id, first.provider, frozen)
        judged[key] = judged.get(key, True) and ok
    out = []
    for fp in failing:
        now = now_fixed.get(fp)
        if now or (now is None and judged.get(fp[:3], False)):
            out.append(fp)
    return sorted(out)


def stale_warnings(entries: list[Fingerprint]) -> list[str]:
    """The run warnings for stale entries: a count with the fix, then one line each."""
    if not entries:
        return []
    n = len(entries)
    head = f"{n} baseline entries no longer fail" if n != 1 else "1 baseline entry no longer fails"
    lines = [f"{head}: refresh with --write-baseline (listed with -v and in the JSON report)"]
    for check_id, provider, scope, resource_id in entries:
        where = ", ".join(f"{k}={v}" for k, v in scope) or provider
        lines.append(f"{STALE_ENTRY}{check_id} {resource_id} ({where})")
    return lines
