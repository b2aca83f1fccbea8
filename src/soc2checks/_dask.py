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

import contextlib
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
        import dask

        # A unit whose worker dies is rescheduled once (its second death is its last),
        # as a unit that raises is retried once (``retries=1``).
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, processes=True, dashboard_address=None
            )
    client = None
    in_flight: dict[str, tuple[WorkUnit, Any]] = {}
    try:
        client = Client(scheduler) if scheduler else Client(cluster)  # type: ignore[no-untyped-call]
        todo = list(reversed(units))
        total = len(units)
        window = as_completed()  # type: ignore[no-untyped-call]

        def submit() -> None:
            unit = todo.pop()
            key = f"{run_id}/{unit_id(unit)}"
            fut = client.submit(
                _work, settings, unit.model_dump_json(), key=key, pure=False, retries=1
            )
            in_flight[key] = (unit, fut)
            window.add(fut)  # type: ignore[no-untyped-call]

        if ex.progress is not None:
            ex.progress(0, total)
        while todo and window.count() < max_in_flight:  # type: ignore[no-untyped-call]
            submit()
        for done, fut in enumerate(window, start=1):
            unit, _ = in_flight.pop(str(fut.key))
            findings.extend(_collect(ex, unit, fut))
            fut.release()
            del fut
            if ex.progress is not None:
                ex.progress(done, total)
            if todo:
                submit()
    except BaseException:
        # KeyboardInterrupt, or a finding hook that failed: cancel what is on the
        # cluster so no worker goes on judging for a run that is over.
        if client is not None and in_flight:
            futures = [f for _, f in in_flight.values()]
            with contextlib.suppress(Exception):
                client.cancel(futures, force=True)  # type: ignore[no-untyped-call]
        raise
    finally:
        in_flight.clear()
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
    return findings


def _collect(ex: Executor, unit: WorkUnit, fut: Any) -> list[Finding]:
    """One finished unit's findings, handed to the finding observers as they arrive.

    The worker's executor has no observer, so each finding is observed once, here, as
    the local executor observes it when made; error findings of a failed unit are
    observed by ``_make``. The unit's raw result is dropped before returning.
    """
    if fut.status != "finished":
        exc = fut.exception() if fut.status == "error" else None
        return _unit_errors(ex, unit, exc or RuntimeError(f"the unit's task was {fut.status}"))
    got = fut.result()
    found = [Finding.model_validate(d) for d in got.pop("findings")]
    if ex.capture is not None and "capture" in got:
        ex.capture.absorb(got.pop("capture"), found)
    del got
    if ex.on_finding is not None:
        for f in found:
            ex.on_finding(f)
    return found


def _unit_errors(ex: Executor, unit: WorkUnit, exc: BaseException | None) -> list[Finding]:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    msg = f"work unit failed twice on the Dask cluster: {type(exc).__name__}: {text}"
    out = []
    for cid in unit.checks:
        check = ex.registry.checks[cid]
        out.append(ex._make(check, dict(unit.scope), Status.ERROR, "", "", msg, {}))
    return out
