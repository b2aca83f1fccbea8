"""The Dask distributed executor: scope work units judged on Dask workers.

The coordinator expands scope fixtures into :class:`~soc2checks._plan.WorkUnit` s (one
per scope, with every check judged in it) and submits them through a bounded window
(``as_completed`` with ``add``, at most ``max_in_flight`` units in flight), keys
``run-id/unit-id``, ``pure=False``. A worker rebuilds the registry from the same plugin
arguments and config file and builds its own SDK clients; nothing but the unit's JSON
and plain settings travels through the scheduler. A unit that fails twice yields
``error`` findings for its scope, and the run goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from soc2checks._model import Finding, Status
from soc2checks._plan import Executor, WorkUnit, _Expand, _Judge
from soc2checks._plugins import CheckDef

DEFAULT_MAX_IN_FLIGHT = 64


def plan_units(ex: Executor, checks: Sequence[CheckDef]) -> tuple[list[WorkUnit], list[Finding]]:
    """Expand every check's scope fixtures on the coordinator; group judging by scope."""
    errors: list[Finding] = []
    grouped: dict[tuple[Any, ...], tuple[list[tuple[str, Any]], list[str]]] = {}
    stack: list[_Expand | _Judge] = [_Expand(c, ex.fanouts_of_check(c), ()) for c in checks]
    while stack:
        task = stack.pop()
        if isinstance(task, _Judge):
            key = tuple(
                (n, tuple(sorted(ex._scope_of(((n, v),)).items()))) for n, v in task.assignment
            )
            grouped.setdefault(key, (list(task.assignment), []))[1].append(task.check.id)
            continue
        got, more = ex._expand(task)
        errors.extend(got)
        stack.extend(more)
    units = [
        WorkUnit(scope=ex._scope_of(tuple(a)), assignment=a, checks=sorted(ids))
        for _, (a, ids) in sorted(grouped.items(), key=lambda kv: repr(kv[0]))
    ]
    return units, errors


def unit_id(unit: WorkUnit) -> str:
    return hashlib.sha256(unit.model_dump_json().encode()).hexdigest()[:16]


def _work(settings: dict[str, Any], unit_json: str) -> dict[str, Any]:
    """Runs on a worker: rebuild the run from settings, judge one unit, return findings.

    When the run is recorded in the evidence store, what the unit fetched and judged
    comes back with them (plain JSON data, never live objects).
    """
    from soc2checks._capture import Capture
    from soc2checks._engine import prepare

    prep = prepare(
        checks=settings["checks"],
        config=settings["config"],
        plugin_args=settings["plugin_args"],
        options=settings["options"],
    )
    ex = Executor(
        prep.registry,
        prep.config,
        jobs=settings["jobs"],
        params=prep.params,
        today=dt.date.fromisoformat(settings["today"]),
        selected=prep.selected,
        capture=Capture() if settings.get("capture") else None,
    )
    unit = WorkUnit.model_validate_json(unit_json)
    findings = ex.run_unit(unit)
    out: dict[str, Any] = {"findings": [f.model_dump(mode="json") for f in findings]}
    if ex.capture is not None:
        out["capture"] = ex.capture.export(findings)
    return out


def run_on_dask(
    ex: Executor,
    checks: Sequence[CheckDef],
    settings: dict[str, Any],
    *,
    run_id: str,
    scheduler: str | None = None,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    workers: int | None = None,
) -> list[Finding]:
    """Judge ``checks`` on a Dask cluster (a LocalCluster of processes without a scheduler)."""
    from distributed import Client, LocalCluster, as_completed

    units, findings = plan_units(ex, checks)
    cluster = None
    if not scheduler:  # a LocalCluster of processes sized to the machine (or ``workers``)
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, processes=True, dashboard_address=None
        )
    client = Client(scheduler) if scheduler else Client(cluster)  # type: ignore[no-untyped-call]
    try:
        todo = list(reversed(units))
        by_key: dict[str, WorkUnit] = {}
        window = as_completed()  # type: ignore[no-untyped-call]

        def submit() -> None:
            unit = todo.pop()
            key = f"{run_id}/{unit_id(unit)}"
            by_key[key] = unit
            window.add(  # type: ignore[no-untyped-call]
                client.submit(
                    _work, settings, unit.model_dump_json(), key=key, pure=False, retries=1
                )
            )

        while todo and window.count() < max_in_flight:  # type: ignore[no-untyped-call]
            submit()
        for fut in window:
            unit = by_key.pop(str(fut.key))
            if fut.status == "error":
                findings.extend(_unit_errors(ex, unit, fut.exception()))
            else:
                got = fut.result()
                unit_findings = [Finding.model_validate(d) for d in got["findings"]]
                if ex.capture is not None and "capture" in got:
                    ex.capture.absorb(got["capture"], unit_findings)
                findings.extend(unit_findings)
            fut.release()
            if todo:
                submit()
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
    return findings


def _unit_errors(ex: Executor, unit: WorkUnit, exc: BaseException | None) -> list[Finding]:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    msg = f"work unit failed twice on the Dask cluster: {type(exc).__name__}: {text}"
    out = []
    for cid in unit.checks:
        check = ex.registry.checks[cid]
        out.append(ex._make(check, dict(unit.scope), Status.ERROR, "", "", msg, {}))
    return out
