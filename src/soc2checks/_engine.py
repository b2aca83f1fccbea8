"""The engine: load, select, plan, fetch (single-flight, per scope), judge, gate.

A run flows as:

1. load the config and plugins into a :class:`~soc2checks._plugins.Registry`;
2. select checks and validate their parameters;
3. expand each check's scope fixtures (accounts, regions, orgs ...) into scope
   assignments, as pytest expands parametrized fixtures;
4. judge each check once per assignment: resolve its fixtures (each computed once per
   scope key, whoever asks first computes, the others wait), call it per resource;
5. apply waivers, sort, summarise, compare with a baseline.

Everything a fixture or check raises becomes an ``error`` finding; nothing is dropped.
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
from soc2checks._capture import Capture
from soc2checks._config import Config, Waiver, load_config, validation_message
from soc2checks._errors import ConfigError, MissingDependencyError
from soc2checks._evidence import RecordingView, declared, jsonable, recorded
from soc2checks._model import Finding, RunFacts, RunInfo, RunResult, Status, Summary, WaiverInfo
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


def _flat_key(key: tuple[Any, ...]) -> dict[str, str]:
    """A fixture's cache key (per scope fixture, its frozen scope key) as one scope dict."""
    return {k: v for _, frozen in key for k, v in frozen}


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
        capture: Capture | None = None,
    ) -> None:
        self.registry = registry
        self.capture = capture
        self.config = config
        self.jobs = max(1, jobs)
        self.params = params or {}
        self.on_finding = on_finding
        self.today = today or dt.datetime.now(dt.timezone.utc).date()
        self.progress = progress
        self.facts = RunFacts()
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, tuple[Any, ...]], Future[Any]] = {}
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
        if name == "config":
            return self.config
        if name == "today":
            return self.today
        if name == "run_facts":
            return self.facts
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
                value = self._compute(name, assignment)
                fut.set_result(value)
                self._captured(name, key, value, None)
            except FixtureFailed as exc:
                fut.set_exception(exc)
                self._captured(name, key, None, exc.error)
            except Exception as exc:
                fut.set_exception(FixtureFailed(name, exc))
                self._captured(name, key, None, exc)
        return fut.result()

    def _captured(
        self, name: str, key: tuple[str, tuple[Any, ...]], value: Any, error: BaseException | None
    ) -> None:
        if self.capture is None:
            return
        fx = self.registry.fixtures[name]
        scope = _flat_key(key[1])
        perms = fx.spec.permissions
        self.capture.fetched(name, fx.provider or "", scope, perms, value, error)

    def _compute(self, name: str, assignment: Mapping[str, Any]) -> Any:
        fx = self.registry.fixtures[name]
        kwargs = {dep: self.resolve(dep, assignment) for dep in fx.spec.fixtures}
        value = fx.spec.func(**kwargs)
        if fx.spec.fanout or inspect.isgenerator(value):
            value = list(value)
        return value

    # ---- findings ----------------------------------------------------------------
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
            criteria=check.criteria_list,
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

    def _error_for_scope(
        self, check: CheckDef, assignment: Assignment, exc: BaseException
    ) -> Finding:
        scope = self._scope_of(assignment)
        rid, rtype = self._scope_resource(assignment)
        if isinstance(exc, FixtureFailed):
            err = exc.error
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
        done = len(task.assignment)
        if done == len(task.fanouts):
            return [], [_Judge(task.check, task.assignment)]
        name = task.fanouts[done]
        try:
            values = list(self.resolve(name, dict(task.assignment)))
        except Exception as exc:
            return [self._error_for_scope(task.check, task.assignment, exc)], []
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
        except Exception as exc:
            return [self._error_for_scope(check, assignment, exc)]
        kwargs.update(self.params.get(spec.id, {}))
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
            got = self._call(check, scope, item, str(rid_v), str(rtype), kwargs)
            if self.capture is not None and spec.over:
                key = self._key(spec.over, amap)
                pop = (spec.over, tuple(sorted(_flat_key(key).items())))
                self.capture.judged(got, pop, item)
            out.extend(got)
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
        record = item is not None and spec.evidence is None
        view: Any = RecordingView(item) if record else item
        args = (view,) if spec.over else ()
        evidence: dict[str, Any]
        if spec.is_generator:
            return self._call_generator(check, scope, args, rid, rtype, kwargs)
        try:
            rv = spec.func(*args, **kwargs)
            status, message = Status.PASS, rv if isinstance(rv, str) else ""
        except AssertionError as exc:
            status, message = Status.FAIL, str(exc) or _assert_source(exc, spec.title)
        except Skipped as exc:
            status, message = Status.SKIP, str(exc)
        except Exception as exc:
            status, message = Status.ERROR, f"{type(exc).__name__}: {exc}"
        if record:
            evidence = recorded(view)
        elif item is not None and spec.evidence:
            evidence = declared(item, spec.evidence)
        else:
            evidence = {}
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
                if not isinstance(produced, Finding):
                    raise TypeError(
                        f"check yielded {type(produced).__name__}; yield soc2checks.Finding"
                    )
                out.append(
                    self._make(
                        check,
                        produced.scope or scope,
                        Status(produced.status),
                        produced.resource_id or rid,
                        produced.resource_type or rtype,
                        produced.message,
                        {k: jsonable(v) for k, v in produced.evidence.items()},
                    )
                )
        except AssertionError as exc:
            out.append(self._make(check, scope, Status.FAIL, rid, rtype, str(exc), {}))
        except Skipped as exc:
            out.append(self._make(check, scope, Status.SKIP, rid, rtype, str(exc), {}))
        except Exception as exc:
            out.append(
                self._make(
                    check, scope, Status.ERROR, rid, rtype, f"{type(exc).__name__}: {exc}", {}
                )
            )
        return out

    def run_unit(self, unit: WorkUnit) -> list[Finding]:
        """Judge a :class:`WorkUnit` whose assignment holds live scope values."""
        assignment = tuple((k, v) for k, v in unit.assignment)
        out: list[Finding] = []
        for cid in unit.checks:
            out.extend(self.judge(self.registry.checks[cid], assignment))
        return out

    def execute(self, checks: Sequence[CheckDef]) -> list[Finding]:
        """Run ``checks`` on the thread pool; returns findings in no particular order.

        A run allocates one long-lived finding per resource and check; with CPython's
        default thresholds the cyclic GC rescans them thousands of times, which cost a
        third of the engine's time in ``benchmarks/engine``. The first-generation
        threshold is raised for the duration of the run and then restored.
        """
        old = gc.get_threshold()
        gc.set_threshold(max(old[0], 10_000), *old[1:])
        try:
            return self._execute(checks)
        finally:
            gc.set_threshold(*old)

    def _execute(self, checks: Sequence[CheckDef]) -> list[Finding]:
        findings: list[Finding] = []
        initial: list[_Expand | _Judge] = [_Expand(c, self.fanouts_of_check(c), ()) for c in checks]
        total = len(initial)
        finished = 0
        with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="soc2checks") as pool:
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


def _assert_source(exc: AssertionError, title: str) -> str:
    """For a bare ``assert``: the failing line, so the message still says why."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    line = (frames[-1].line or "").strip() if frames else ""
    return f"failed: {line}" if line.startswith("assert") else f"{title}: assertion failed"


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


def validate_provider_settings(registry: Registry, config: Config) -> None:
    """Validate each provider's config table; reject unknown top-level tables."""
    from pydantic import ValidationError

    extra = config.data.model_extra or {}
    for key in sorted(extra):
        if key not in registry.providers:
            known = ", ".join(sorted(registry.providers)) or "none"
            raise ConfigError(
                f"{config.source}: unknown key '{key}' (top-level keys: providers, categories, "
                f"plugins, checks, exclude_checks, jobs, params, owners, waivers, store, sla; "
                f"provider tables: {known})"
            )
    for name, prov in registry.providers.items():
        if prov.settings is None:
            continue
        try:
            config.set_settings(name, prov.settings.model_validate(config.section(name)))
        except ValidationError as exc:
            msg = validation_message(config.source, exc)
            src, _, rest = msg.partition(": ")
            raise ConfigError(f"{src}: {name}.{rest}") from None


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
    validate_provider_settings(registry, cfg)
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
    capture: Capture | None = None,
) -> RunResult:
    """Implementation of :func:`soc2checks.run`; ``capture`` observes what was fetched."""
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
    from soc2checks._baseline import load_baseline

    base = load_baseline(baseline) if baseline is not None else None
    cfg, registry = prep.config, prep.registry
    require_dependencies(registry, {c.provider for c in prep.selected})
    registry.pm.hook.soc2checks_configure(config=cfg)
    hook = registry.pm.hook.soc2checks_finding
    has_finding_hooks = bool(hook.get_hookimpls())
    executor = Executor(
        registry,
        cfg,
        jobs=jobs or cfg.data.jobs or DEFAULT_JOBS,
        params=prep.params,
        on_finding=(lambda f: hook(finding=f)) if has_finding_hooks else None,
        today=today,
        progress=progress,
        capture=capture,
    )
    findings = executor.execute(prep.selected)
    sort_findings(findings)
    warnings = _waiver_warnings(cfg, executor) + _idle_check_warnings(prep.selected, findings)
    regressions: list[Finding] = []
    new_errors: list[Finding] = []
    if base is not None:
        regressions = [
            f for f in findings if f.status is Status.FAIL and f.fingerprint() not in base.failing
        ]
        new_errors = [
            f for f in findings if f.status is Status.ERROR and f.fingerprint() not in base.erroring
        ]
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


def _idle_check_warnings(selected: Sequence[CheckDef], findings: Sequence[Finding]) -> list[str]:
    """Name the selected checks that judged nothing, so an empty scope is never silent."""
    judged = {f.check_id for f in findings}
    idle: dict[str, list[str]] = {}
    for c in selected:
        if c.id not in judged:
            idle.setdefault(c.provider, []).append(c.id)
    return [
        f"{prov}: {len(ids)} selected check(s) judged no resource (no scope configured or "
        f"nothing of that kind found): {', '.join(ids)}"
        for prov, ids in sorted(idle.items())
    ]


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
