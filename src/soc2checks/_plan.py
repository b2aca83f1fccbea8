"""Planning and scheduling: expand scope fixtures into assignments, judge each on a pool.

The :class:`Executor` expands each check's scope fixtures (accounts, regions, orgs ...)
into scope assignments, as pytest expands parametrized fixtures, and judges each check
once per assignment on a thread pool. :class:`WorkUnit` is the serialisable unit a
distributed executor ships to a worker.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from soc2checks._config import Config
from soc2checks._evidence import jsonable
from soc2checks._fixtures_cache import Assignment
from soc2checks._judge import _Judging
from soc2checks._model import Finding, RunFacts
from soc2checks._plugins import CheckDef, Registry

if TYPE_CHECKING:
    from soc2checks._capture import Capture

DEFAULT_JOBS = 16


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


class Executor(_Judging):
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

    # ---- planning and scheduling ---------------------------------------------------
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


def _control_ids(checks: Iterable[CheckDef]) -> tuple[str, ...]:
    """The ``selected_controls`` built-in fixture: IDs of the controls checks implement."""
    return tuple(sorted({c.control.id for c in checks}))
