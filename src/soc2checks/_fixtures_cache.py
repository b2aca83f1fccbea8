"""Fixture caching and resolution: each fixture computed once per scope key.

Whoever asks first computes, the others wait on the same future.
"""

from __future__ import annotations

import datetime as dt
import inspect
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from soc2checks._config import Config
from soc2checks._model import RunFacts
from soc2checks._plugins import Registry

if TYPE_CHECKING:
    from soc2checks._capture import Capture

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


def flat_key(key: tuple[Any, ...]) -> dict[str, str]:
    """A fixture's cache key (per scope fixture, its frozen scope key) as one scope dict."""
    return {k: v for _, frozen in key for k, v in frozen}


class _FixtureCache:
    """Resolves fixtures for scope assignments; the state lives in the executor."""

    registry: Registry
    config: Config
    today: dt.date
    facts: RunFacts
    selected_controls: tuple[str, ...]
    fanouts: dict[str, tuple[str, ...]]
    _lock: threading.Lock
    _cache: dict[tuple[str, tuple[Any, ...]], Future[Any]]
    capture: Capture | None

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
                value = self._compute(name, assignment)
                fut.set_result(value)
                self._captured(name, key, value, None)
            except FixtureFailed as exc:
                fut.set_exception(exc)
                self._captured(name, key, None, exc.error)
            except KeyboardInterrupt as exc:
                fut.set_exception(exc)  # waiters stop too; never leave the future unset
                raise
            except BaseException as exc:  # SystemExit, GeneratorExit ... are errors too
                fut.set_exception(FixtureFailed(name, exc))
                self._captured(name, key, None, exc)
        return fut.result()

    def _captured(
        self, name: str, key: tuple[str, tuple[Any, ...]], value: Any, error: BaseException | None
    ) -> None:
        """Tell the evidence capture (when recording) what a fixture fetched or why not."""
        if self.capture is None:
            return
        fx = self.registry.fixtures[name]
        scope = flat_key(key[1])
        self.capture.fetched(name, fx.provider or "", scope, fx.spec.permissions, value, error)

    def _compute(self, name: str, assignment: Mapping[str, Any]) -> Any:
        fx = self.registry.fixtures[name]
        kwargs = {dep: self.resolve(dep, assignment) for dep in fx.spec.fixtures}
        value = fx.spec.func(**kwargs)
        if fx.spec.fanout or inspect.isgenerator(value):
            value = list(value)
        return value
