"""The engine: load, select, plan, fetch (single-flight, per scope), judge, gate.

A run flows as:

1. load the config and plugins into a :class:`~soc2checks._plugins.Registry`;
2. select checks and validate their parameters;
3. expand each check's scope fixtures (accounts, regions, orgs ...) into scope
   assignments, as pytest expands parametrized fixtures;
4. judge each check once per assignment: resolve its fixtures (each computed once per
   scope key, whoever asks first computes, the others wait), call it per resource;
5. apply waivers, sort, summarise, compare with a baseline.

Every outcome of a fixture or check becomes a finding, nothing is dropped: ``assert``
and :func:`~soc2checks.fail` fail, :func:`~soc2checks.skip` skips (pytest's
``skip``/``importorskip``/``xfail`` skip and ``pytest.fail`` fails), a check that
returns a value is an error, and any other exception, ``SystemExit`` and other
``BaseException`` included, is an ``error`` finding. Only ``KeyboardInterrupt`` stops
the run: pending work is cancelled and the interrupt propagates. A selected check that
judged nothing is reported in ``RunResult.idle_checks``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soc2checks._capture import Capture
from soc2checks._config import Config, check_jobs, load_config
from soc2checks._configcheck import unmatched_waiver_warnings, validate_config
from soc2checks._errors import MissingDependencyError, UsageError
from soc2checks._fixtures_cache import Assignment, FixtureFailed, scope_key_of
from soc2checks._model import Finding, RunInfo, RunResult, Status, Summary
from soc2checks._outcomes import finding_observer, idle_checks, require_assertions
from soc2checks._params import resolve_params
from soc2checks._plan import DEFAULT_JOBS, Executor, WorkUnit
from soc2checks._plugins import CheckDef, Registry, load_registry
from soc2checks._select import Selection, select_checks

__all__ = [
    "DEFAULT_JOBS",
    "Assignment",
    "Executor",
    "FixtureFailed",
    "Prepared",
    "WorkUnit",
    "prepare",
    "require_dependencies",
    "run_checks",
    "scope_key_of",
    "sort_findings",
]


def require_dependencies(registry: Registry, providers: Iterable[str]) -> None:
    for name in sorted(set(providers)):
        prov = registry.providers.get(name)
        if prov is None:
            continue
        missing = [m for m in prov.requires if importlib.util.find_spec(m) is None]
        if missing:
            extra = f"pip install 'soc2checks[{prov.extra}]'" if prov.extra else "install it"
            raise MissingDependencyError(
                f"the {name} provider needs {', '.join(missing)}, which is not installed: {extra}"
            )


@dataclass
class Prepared:
    """A loaded run, ready to execute (also used by ``list``, ``explain``, ``permissions``)."""

    config: Config
    registry: Registry
    selected: list[CheckDef]
    params: dict[str, dict[str, Any]]
    plugin_args: tuple[str, ...] = ()


def prepare(
    *,
    checks: Sequence[str] | None = None,
    providers: Sequence[str] | None = None,
    controls: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    config: str | Path | Config | None = None,
    plugins: Sequence[object] = (),
    plugin_args: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    registry: Registry | None = None,
    every_provider: bool = False,
) -> Prepared:
    cfg = config if isinstance(config, Config) else load_config(config, options=options)
    if registry is None:
        registry = load_registry(
            plugin_args=plugin_args,
            local_paths=cfg.data.plugins,
            root=cfg.root,
            extra=plugins,
        )
    validate_config(registry, cfg)
    sel = Selection(
        checks=list(checks) if checks is not None else None,
        providers=list(providers) if providers is not None else None,
        controls=list(controls) if controls is not None else None,
        criteria=list(criteria) if criteria is not None else None,
        categories=list(categories) if categories is not None else None,
        every_provider=every_provider,
    )
    selected = select_checks(registry, cfg, sel)
    params = resolve_params(registry, cfg)
    return Prepared(cfg, registry, selected, params, tuple(plugin_args))


def _fingerprint_set(findings: Iterable[Finding], statuses: set[Status]) -> set[Any]:
    return {f.fingerprint() for f in findings if f.status in statuses}


def run_checks(
    *,
    checks: Sequence[str] | None = None,
    providers: Sequence[str] | None = None,
    controls: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    config: str | Path | Config | None = None,
    plugins: Sequence[object] = (),
    plugin_args: Sequence[str] = (),
    jobs: int | None = None,
    baseline: str | Path | None = None,
    options: Mapping[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
    prepared: Prepared | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
    capture: Capture | None = None,
) -> RunResult:
    """Implementation of :func:`soc2checks.run`; ``capture`` observes what was fetched."""
    require_assertions()
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    prep = prepared or prepare(
        checks=checks,
        providers=providers,
        controls=controls,
        criteria=criteria,
        categories=categories,
        config=config,
        plugins=plugins,
        plugin_args=plugin_args,
        options=options,
    )
    from soc2checks._baseline import load_baseline, stale_entries, stale_warnings

    if jobs is not None:
        try:
            jobs = check_jobs(jobs)
        except ValueError as exc:
            raise UsageError(f"jobs: {exc}") from None
    base = load_baseline(baseline) if baseline is not None else None
    cfg, registry = prep.config, prep.registry
    require_dependencies(registry, {c.provider for c in prep.selected})
    registry.pm.hook.soc2checks_configure(config=cfg)
    engine = Executor(
        registry,
        cfg,
        jobs=jobs or cfg.data.jobs or DEFAULT_JOBS,
        params=prep.params,
        on_finding=finding_observer(registry),
        today=today,
        progress=progress,
        selected=prep.selected,
        capture=capture,
    )
    run_id = uuid.uuid4().hex
    settings = cfg.data.executor
    kind = executor or ("dask" if scheduler else settings.kind)
    if kind not in ("local", "dask"):
        raise UsageError(f"unknown executor '{kind}'; expected local or dask")
    if kind == "dask":
        findings = _run_dask(engine, prep, run_id, scheduler or settings.scheduler)
    else:
        findings = engine.execute(prep.selected)
    sort_findings(findings)
    warnings = engine.facts.warnings() + _waiver_warnings(cfg, engine)
    warnings += unmatched_waiver_warnings(cfg.data.waivers, findings, engine.today)
    idle = idle_checks(registry, engine, prep.selected, findings)
    regressions: list[Finding] = []
    new_errors: list[Finding] = []
    if base is not None:
        regressions = [
            f for f in findings if f.status is Status.FAIL and f.fingerprint() not in base.failing
        ]
        new_errors = [
            f for f in findings if f.status is Status.ERROR and f.fingerprint() not in base.erroring
        ]
        warnings += stale_warnings(stale_entries(base, findings))
    finished = started + dt.timedelta(seconds=time.perf_counter() - t0)
    from soc2checks import __version__

    result = RunResult(
        run=RunInfo(
            id=run_id,
            started_at=started,
            finished_at=finished,
            tool_version=__version__,
            plugins=sorted((p.info() for p in registry.plugins), key=lambda i: i.name),
            config_digest=cfg.digest,
            warnings=warnings,
            facts=engine.facts.as_dict(),
        ),
        summary=Summary.of(findings),
        findings=findings,
        regressions=regressions,
        new_errors=new_errors,
        idle_checks=idle,
    )
    registry.pm.hook.soc2checks_run_finished(result=result, config=cfg)
    return result


def sort_findings(findings: list[Finding]) -> None:
    """Sort in place by check ID, scope, resource ID (the documented output order)."""
    memo: dict[int, tuple[tuple[str, str], ...]] = {}
    keep: list[dict[str, str]] = []  # keeps scope dicts alive so ids stay unique

    def key(f: Finding) -> tuple[str, tuple[tuple[str, str], ...], str]:
        s = f.scope
        k = memo.get(id(s))
        if k is None:
            k = memo[id(s)] = tuple(sorted(s.items()))
            keep.append(s)
        return (f.check_id, k, f.resource_id)

    findings.sort(key=key)


def _waiver_warnings(cfg: Config, executor: Executor) -> list[str]:
    out = []
    for w in cfg.data.waivers:
        if not w.live(executor.today):
            used = (w.check, w.resource, w.expires.isoformat()) in executor.expired_used
            out.append(
                f"waiver for check '{w.check}' on resource '{w.resource}' expired on "
                f"{w.expires.isoformat()} (approved by {w.approved_by}); it no longer "
                + ("suppresses failures it matched in this run" if used else "applies")
            )
    return out


def _run_dask(
    engine: Executor, prep: Prepared, run_id: str, scheduler: str | None
) -> list[Finding]:
    if importlib.util.find_spec("distributed") is None:
        raise MissingDependencyError(
            "--executor dask needs dask.distributed, which is not installed: "
            "pip install 'soc2checks[dask]'"
        )
    from soc2checks._dask import run_on_dask

    cfg = prep.config
    settings = {
        "checks": sorted(c.id for c in prep.selected),
        "config": str(cfg.path) if cfg.path is not None else None,
        "options": dict(cfg.options),
        "plugin_args": list(prep.plugin_args),
        "jobs": engine.jobs,
        "today": engine.today.isoformat(),
        "capture": engine.capture is not None,
    }
    return run_on_dask(
        engine,
        prep.selected,
        settings,
        run_id=run_id,
        scheduler=scheduler,
        max_in_flight=cfg.data.executor.max_in_flight,
        workers=cfg.data.executor.workers,
    )
