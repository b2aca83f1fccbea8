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
        if name == "fixture_lookup":
            return FixtureLookup(self)
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


class Fetched:
    """One scope's value of a fixture, or why it could not be fetched."""

    __slots__ = ("error", "scope", "value")

    def __init__(self, scope: dict[str, str], value: Any, error: BaseException | None) -> None:
        self.scope = scope
        self.value = value
        self.error = error


class FixtureLookup:
    """The ``fixture_lookup`` built-in: a fixture's value in every scope, by name.

    For fixtures that join other providers' fixtures (the ``access`` plugin's
    ``principals``) whose names are known only from the config. Values come from
    the run's cache, so nothing is fetched twice; a scope that failed is a
    :class:`Fetched` with ``error`` set, never dropped.
    """

    def __init__(self, cache: _FixtureCache) -> None:
        self._cache = cache

    def known(self, name: str) -> bool:
        return name in self._cache.registry.fixtures

    def each(self, name: str) -> list[Fetched]:
        """Every scope's value of fixture ``name``; raises ``KeyError`` for an unknown name."""
        if name not in self._cache.registry.fixtures:
            raise KeyError(f"no fixture named '{name}' (is its provider plugin installed?)")
        return self._expand(name, {}, list(self._cache.fanouts.get(name, ())))

    def _expand(self, name: str, assignment: dict[str, Any], todo: list[str]) -> list[Fetched]:
        scope: dict[str, str] = {}
        for f, v in assignment.items():
            scope.update(scope_key_of(v, f))
        if not todo:
            try:
                return [Fetched(scope, self._cache.resolve(name, assignment), None)]
            except FixtureFailed as exc:
                return [Fetched(scope, None, exc.error)]
        head, rest = todo[0], todo[1:]
        try:
            values = list(self._cache.resolve(head, assignment))
        except FixtureFailed as exc:
            return [Fetched(scope, None, exc.error)]
        out: list[Fetched] = []
        for v in values:
            out.extend(self._expand(name, {**assignment, head: v}, rest))
        return out
