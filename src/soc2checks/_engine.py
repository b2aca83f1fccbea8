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
import gc
import importlib.util
import inspect
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from soc2checks._api import Skipped
from soc2checks._config import Config, Waiver, check_jobs, load_config
from soc2checks._configcheck import unmatched_waiver_warnings, validate_config
from soc2checks._errors import MissingDependencyError, UsageError
from soc2checks._evidence import (
    RecordingView,
    declared,
    jsonable,
    missing_message,
    missing_read,
    recorded,
)
from soc2checks._model import Finding, RunFacts, RunInfo, RunResult, Status, Summary, WaiverInfo
from soc2checks._outcomes import (
    RETURNED_VALUE,
    HookFailed,
    finding_observer,
    idle_checks,
    outcome,
    require_assertions,
)
from soc2checks._params import resolve_params
from soc2checks._plugins import CheckDef, Registry, load_registry
from soc2checks._select import Selection, select_checks

DEFAULT_JOBS = 16

# A scope assignment: scope-fixture name -> the chosen value, in dependency order.
Assignment = tuple[tuple[str, Any], ...]


class FixtureFailed(Exception):
    """A fixture raised; carries the innermost fixture name and the original error."""

    def __init__(self, fixture: str, error: BaseException) -> None:
        super().__init__(f"{fixture}: {type(error).__name__}: {error}")
        self.fixture = fixture
        self.error = error


def scope_key_of(value: Any, fixture: str) -> dict[str, str]:
    key = getattr(value, "scope_key", None)
    if callable(key):
        key = key()
    if isinstance(key, Mapping):
        return {str(k): str(v) for k, v in key.items()}
    rid = getattr(value, "resource_id", None)
    return {fixture: str(rid if rid is not None else value)}


def _freeze(d: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(d.items()))


class WorkUnit(BaseModel):
    """The unit of scheduled work: one scope assignment and the checks judged in it.

    It serialises (scope values are pydantic models dumped to JSON), so a distributed
    executor can ship it to a worker that has the same plugins installed.
    """

    model_config = ConfigDict(frozen=True)

    scope: dict[str, str] = Field(default_factory=dict)
    assignment: list[tuple[str, Any]] = Field(default_factory=list)
    checks: list[str]


@dataclass
class _Expand:
    check: CheckDef
    fanouts: tuple[str, ...]
    assignment: Assignment


@dataclass
class _Judge:
    check: CheckDef
    assignment: Assignment


class Executor:
    """Runs checks over one registry and config; fixtures cached per scope key."""

    def __init__(
        self,
        registry: Registry,
        config: Config,
        *,
        jobs: int = DEFAULT_JOBS,
        params: Mapping[str, Mapping[str, Any]] | None = None,
        on_finding: Callable[[Finding], None] | None = None,
        today: dt.date | None = None,
        progress: Callable[[int, int], None] | None = None,
        selected: Sequence[CheckDef] = (),
    ) -> None:
        self.registry = registry
        self.config = config
        self.jobs = max(1, jobs)
        self.params = params or {}
        self.on_finding = on_finding
        self.today = today or dt.datetime.now(dt.timezone.utc).date()
        self.progress = progress
        self.facts = RunFacts()
        self.selected_controls = _control_ids(selected)
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, tuple[Any, ...]], Future[Any]] = {}
        self._cancelled = threading.Event()
        # check ID -> (fixture, scope label) where a fixture came back empty
        self.empty: dict[str, list[tuple[str, str]]] = {}
        self.waivers = list(config.data.waivers)
        self.expired_used: set[tuple[str, str, str]] = set()
        self.fanouts: dict[str, tuple[str, ...]] = {}
        for name in registry.fixtures:
            self.fanouts[name] = tuple(registry.fanouts_of(registry.fixtures[name].spec.fixtures))

    # ---- fixtures ----------------------------------------------------------------
    def _key(self, name: str, assignment: Mapping[str, Any]) -> tuple[Any, ...]:
        deps = self.fanouts.get(name, ())
        return tuple((f, _freeze(scope_key_of(assignment[f], f))) for f in deps)

    def resolve(self, name: str, assignment: Mapping[str, Any]) -> Any:
        """The value of fixture ``name`` for a scope assignment, computed once."""
        if name == "hook":
            return self.registry.pm.hook
        if name == "selected_controls":
            return self.selected_controls
        if name == "config":
            return self.config
        if name == "today":
            return self.today
        if name == "run_facts":
            return self.facts
        if name == "config_dir":
            return self.config.root
        if name in assignment:
            return assignment[name]
        key = (name, self._key(name, assignment))
        with self._lock:
            fut = self._cache.get(key)
            owner = fut is None
            if fut is None:
                fut = Future()
                self._cache[key] = fut
        if owner:
            try:
                fut.set_result(self._compute(name, assignment))
            except FixtureFailed as exc:
                fut.set_exception(exc)
            except KeyboardInterrupt as exc:
                fut.set_exception(exc)  # waiters stop too; never leave the future unset
                raise
            except BaseException as exc:  # SystemExit, GeneratorExit ... are errors too
                fut.set_exception(FixtureFailed(name, exc))
        return fut.result()

    def _compute(self, name: str, assignment: Mapping[str, Any]) -> Any:
        fx = self.registry.fixtures[name]
        kwargs = {dep: self.resolve(dep, assignment) for dep in fx.spec.fixtures}
        value = fx.spec.func(**kwargs)
        if fx.spec.fanout or inspect.isgenerator(value):
            value = list(value)
        return value

    # ---- findings ----------------------------------------------------------------
    def _note_empty(self, check: CheckDef, fixture: str, assignment: Assignment) -> None:
        label = ", ".join(f"{k}={v}" for k, v in sorted(self._scope_of(assignment).items()))
        with self._lock:
            self.empty.setdefault(check.id, []).append((fixture, label))

    def _scope_of(self, assignment: Assignment) -> dict[str, str]:
        scope: dict[str, str] = {}
        for name, value in assignment:
            scope.update(scope_key_of(value, name))
        return scope

    def _make(
        self,
        check: CheckDef,
        scope: dict[str, str],
        status: Status,
        resource_id: str,
        resource_type: str,
        message: str,
        evidence: dict[str, Any],
    ) -> Finding:
        spec = check.spec
        waiver: WaiverInfo | None = None
        if status is Status.FAIL and self.waivers:
            for w in self.waivers:
                if w.matches(spec.id, resource_id):
                    if w.live(self.today):
                        status = Status.WAIVED
                        waiver = _waiver_info(w)
                        break
                    with self._lock:
                        self.expired_used.add((w.check, w.resource, w.expires.isoformat()))
        finding = _new_finding(
            check_id=spec.id,
            control_id=check.control.id,
            criteria=check.criteria,
            status=status,
            severity=spec.severity,
            provider=check.provider,
            scope=scope,
            resource_id=resource_id,
            resource_type=resource_type,
            message=message,
            evidence=evidence,
            remediation=spec.remediation or check.control.remediation,
            waiver=waiver,
        )
        if self.on_finding is not None:
            self.on_finding(finding)
        return finding

    def _from_yield(
        self, check: CheckDef, scope: dict[str, str], rid: str, rtype: str, produced: Any
    ) -> Finding:
        if not isinstance(produced, Finding):
            raise TypeError(f"check yielded {type(produced).__name__}; yield soc2checks.Finding")
        return self._make(
            check,
            produced.scope or scope,
            Status(produced.status),
            produced.resource_id or rid,
            produced.resource_type or rtype,
            produced.message,
            {k: jsonable(v) for k, v in produced.evidence.items()},
        )

    def _error_for_scope(
        self, check: CheckDef, assignment: Assignment, exc: BaseException
    ) -> Finding:
        scope = self._scope_of(assignment)
        rid, rtype = self._scope_resource(assignment)
        if isinstance(exc, FixtureFailed):
            err = exc.error
            if isinstance(err, Skipped):  # the fixture found nothing to judge here
                return self._make(check, scope, Status.SKIP, rid, rtype, str(err), {})
            msg = f"could not fetch '{exc.fixture}': {type(err).__name__}: {err}"
        else:
            msg = f"{type(exc).__name__}: {exc}"
        return self._make(check, scope, Status.ERROR, rid, rtype, msg, {})

    @staticmethod
    def _scope_resource(assignment: Assignment) -> tuple[str, str]:
        if not assignment:
            return "", ""
        name, value = assignment[-1]
        rid = getattr(value, "resource_id", None)
        rtype = getattr(value, "resource_type", None)
        return (str(rid) if rid is not None else name), (str(rtype) if rtype else "")

    # ---- planning and judging -------------------------------------------------------
    def fanouts_of_check(self, check: CheckDef) -> tuple[str, ...]:
        return tuple(self.registry.fanouts_of(check.inputs))

    def _expand(self, task: _Expand) -> tuple[list[Finding], list[_Expand | _Judge]]:
        if self._cancelled.is_set():
            return [], []
        done = len(task.assignment)
        if done == len(task.fanouts):
            return [], [_Judge(task.check, task.assignment)]
        name = task.fanouts[done]
        try:
            values = list(self.resolve(name, dict(task.assignment)))
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            return [self._error_for_scope(task.check, task.assignment, exc)], []
        if not values:
            self._note_empty(task.check, name, task.assignment)
        return [], [
            _Expand(task.check, task.fanouts, (*task.assignment, (name, v))) for v in values
        ]

    def judge(self, check: CheckDef, assignment: Assignment) -> list[Finding]:
        """Every finding of one check in one scope assignment."""
        spec = check.spec
        amap = dict(assignment)
        scope = self._scope_of(assignment)
        try:
            kwargs = {n: self.resolve(n, amap) for n in spec.fixtures}
            items: list[Any] | None = None
            if spec.over:
                got = self.resolve(spec.over, amap)
                items = list(got) if isinstance(got, (list, tuple)) else [got]
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            return [self._error_for_scope(check, assignment, exc)]
        kwargs.update(self.params.get(spec.id, {}))
        if items is not None and not items and spec.over:
            self._note_empty(check, spec.over, assignment)
        if items is None:
            rid, rtype = self._scope_resource(assignment)
            return self._call(check, scope, None, rid, rtype, kwargs)
        default_type = self.registry.fixtures[spec.over].spec.resource_type if spec.over else ""
        out: list[Finding] = []
        has_type: dict[type, bool] = {}
        for item in items:
            cls = type(item)
            typed = has_type.get(cls)
            if typed is None:
                typed = has_type[cls] = _declares(cls, "resource_type")
            rid_v = getattr(item, "resource_id", None)
            rtype = (getattr(item, "resource_type", None) if typed else None) or default_type
            if rid_v is None:
                out.append(
                    self._make(
                        check,
                        scope,
                        Status.ERROR,
                        repr(item)[:80],
                        str(rtype),
                        f"fixture '{spec.over}' returned a {type(item).__name__} without a "
                        "resource_id",
                        {},
                    )
                )
                continue
            out.extend(self._call(check, scope, item, str(rid_v), str(rtype), kwargs))
        return out

    def _call(
        self,
        check: CheckDef,
        scope: dict[str, str],
        item: Any,
        rid: str,
        rtype: str,
        kwargs: dict[str, Any],
    ) -> list[Finding]:
        spec = check.spec
        view: Any = RecordingView(item) if item is not None else None
        args = (view,) if spec.over else ()
        evidence: dict[str, Any]
        if spec.is_generator:
            return self._call_generator(check, scope, args, rid, rtype, kwargs)
        try:
            rv = spec.func(*args, **kwargs)
            if rv is None:
                status, message = Status.PASS, ""
            else:
                shown = repr(rv)
                shown = shown if len(shown) <= 80 else shown[:77] + "..."
                status = Status.ERROR
                message = f"check returned {type(rv).__name__} {shown}; {RETURNED_VALUE}"
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            status, message = outcome(exc, spec.title)
        missing: list[str] = []
        if view is None:
            evidence = {}
        elif spec.evidence is None:
            evidence = recorded(view)
        else:
            evidence, missing = declared(item, spec.evidence)
        if view is not None:
            missing = sorted({*missing, *missing_read(view)})
        if missing:
            # missing data is never a pass, a fail or a skip: the check could not judge
            status = Status.ERROR
            message = missing_message(item, missing, check.provider)
            evidence = {**evidence, "missing_fields": missing}
        return [self._make(check, scope, status, rid, rtype, message, evidence)]

    def _call_generator(
        self,
        check: CheckDef,
        scope: dict[str, str],
        args: tuple[Any, ...],
        rid: str,
        rtype: str,
        kwargs: dict[str, Any],
    ) -> list[Finding]:
        out: list[Finding] = []
        try:
            for produced in check.spec.func(*args, **kwargs):
                out.append(self._from_yield(check, scope, rid, rtype, produced))
        except KeyboardInterrupt:
            raise
        except HookFailed:
            raise  # a soc2checks_finding hook failed: the run stops with its message
        except BaseException as exc:
            status, message = outcome(exc, check.spec.title)
            out.append(self._make(check, scope, status, rid, rtype, message, {}))
        view = args[0] if args and isinstance(args[0], RecordingView) else None
        missing = missing_read(view) if view is not None else []
        if missing:
            target = object.__getattribute__(view, "_target")
            message = missing_message(target, missing, check.provider)
            evidence = {"missing_fields": missing}
            out.append(self._make(check, scope, Status.ERROR, rid, rtype, message, evidence))
        return out

    def run_unit(self, unit: WorkUnit) -> list[Finding]:
        """Judge a :class:`WorkUnit`, live or deserialised on a worker.

        A scope value that travelled as JSON is matched back to the live value of its
        scope fixture (computed here, once), so checks see the same model they would
        in the scheduler; a value that is not among them is an error finding.
        """
        live: list[tuple[str, Any]] = []
        try:
            for name, value in unit.assignment:
                live.append((name, self._live_value(name, value, tuple(live))))
        except Exception as exc:
            return [
                self._error_for_scope(self.registry.checks[cid], tuple(live), exc)
                for cid in unit.checks
            ]
        out: list[Finding] = []
        for cid in unit.checks:
            out.extend(self.judge(self.registry.checks[cid], tuple(live)))
        return out

    def _live_value(self, name: str, value: Any, parents: Assignment) -> Any:
        candidates = list(self.resolve(name, dict(parents)))
        for c in candidates:
            if c is value:
                return c
        wanted = jsonable(value)
        for c in candidates:
            if jsonable(c) == wanted:
                return c
        raise LookupError(f"scope value {value!r} is not among the values of '{name}'")

    def execute(self, checks: Sequence[CheckDef]) -> list[Finding]:
        """Run ``checks`` on the thread pool; returns findings in no particular order.

        A run allocates one long-lived finding per resource and check; with CPython's
        default thresholds the cyclic GC rescans them thousands of times, which cost a
        third of the engine's time in ``benchmarks/engine``. The first-generation
        threshold is raised for the duration of the run and then restored.
        """
        if not self.selected_controls:
            self.selected_controls = _control_ids(checks)
        old = gc.get_threshold()
        gc.set_threshold(max(old[0], 10_000), *old[1:])
        try:
            return self._execute(checks)
        finally:
            gc.set_threshold(*old)

    def _execute(self, checks: Sequence[CheckDef]) -> list[Finding]:
        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="soc2checks")
        try:
            findings = self._schedule(pool, checks)
        except BaseException:
            # KeyboardInterrupt, or a finding hook that failed: cancel what is queued,
            # let running tasks see the flag, and do not wait for them.
            self._cancelled.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return findings

    def _schedule(self, pool: ThreadPoolExecutor, checks: Sequence[CheckDef]) -> list[Finding]:
        findings: list[Finding] = []
        initial: list[_Expand | _Judge] = [_Expand(c, self.fanouts_of_check(c), ()) for c in checks]
        total = len(initial)
        finished = 0
        pending: set[Future[tuple[list[Finding], list[_Expand | _Judge]]]] = set()

        def submit(task: _Expand | _Judge) -> None:
            if isinstance(task, _Expand):
                pending.add(pool.submit(self._expand, task))
            else:
                pending.add(pool.submit(self._judge_task, task))

        for t in initial:
            submit(t)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                pending.discard(fut)
                got, more = fut.result()
                findings.extend(got)
                total += len(more)
                finished += 1
                for t in more:
                    submit(t)
            if self.progress is not None:
                self.progress(finished, total)
        return findings

    def _judge_task(self, task: _Judge) -> tuple[list[Finding], list[_Expand | _Judge]]:
        if self._cancelled.is_set():
            return [], []
        return self.judge(task.check, task.assignment), []


_FINDING_FIELDS = frozenset(Finding.model_fields)
# Shared by every engine-made finding: it already holds every field, so pydantic's
# additions on assignment never change it.
_ALL_SET = set(_FINDING_FIELDS)
_new_object = object.__new__
_set_attr = object.__setattr__


def _new_finding(**fields: Any) -> Finding:
    """``Finding.model_construct`` without its per-call overhead (the engine's hot path).

    Every field is given, already of the right type, so nothing needs validating.
    """
    f = _new_object(Finding)
    _set_attr(f, "__dict__", fields)
    _set_attr(f, "__pydantic_fields_set__", _ALL_SET)
    _set_attr(f, "__pydantic_extra__", None)
    _set_attr(f, "__pydantic_private__", None)
    return f


def _declares(cls: type, name: str) -> bool:
    fields = getattr(cls, "model_fields", None)
    return (isinstance(fields, dict) and name in fields) or hasattr(cls, name)


def _waiver_info(w: Waiver) -> WaiverInfo:
    return WaiverInfo(
        check=w.check,
        resource=w.resource,
        justification=w.justification,
        approved_by=w.approved_by,
        expires=w.expires,
        risk=w.risk,
        ticket=w.ticket,
    )


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
    return Prepared(cfg, registry, selected, params)


def _control_ids(checks: Iterable[CheckDef]) -> tuple[str, ...]:
    """The ``selected_controls`` built-in fixture: IDs of the controls checks implement."""
    return tuple(sorted({c.control.id for c in checks}))


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
) -> RunResult:
    """Implementation of :func:`soc2checks.run`."""
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
    executor = Executor(
        registry,
        cfg,
        jobs=jobs or cfg.data.jobs or DEFAULT_JOBS,
        params=prep.params,
        on_finding=finding_observer(registry),
        today=today,
        progress=progress,
        selected=prep.selected,
    )
    findings = executor.execute(prep.selected)
    sort_findings(findings)
    warnings = _waiver_warnings(cfg, executor) + unmatched_waiver_warnings(
        cfg.data.waivers, findings, executor.today
    )
    idle = idle_checks(registry, executor, prep.selected, findings)
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
            id=uuid.uuid4().hex,
            started_at=started,
            finished_at=finished,
            tool_version=__version__,
            plugins=sorted((p.info() for p in registry.plugins), key=lambda i: i.name),
            config_digest=cfg.digest,
            warnings=warnings,
            facts=executor.facts.as_dict(),
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
