"""What a run fetched, for the evidence store: populations and the resource behind each finding.

The engine feeds an optional :class:`Capture` while it runs; without one it does no
extra work. A *population* is one fixture computed for one scope key (the IAM users
of an account, the buckets of an account and region): the store records the query
that produced it (provider, declared API operations, parameters, scope), whether it
completed and how many records it held, so an auditor can test completeness. Each
finding of a check that judges the items of a fixture is linked to its population
and the item itself (the full model, not only the attributes the check read).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from soc2checks._model import Finding

PopulationKey = tuple[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Population:
    """One fixture computed for one scope key."""

    fixture: str
    provider: str
    scope: dict[str, str]
    operations: tuple[str, ...]
    complete: bool
    record_count: int | None
    error: str = ""
    items: list[Any] = field(default_factory=list, repr=False, compare=False)

    @property
    def key(self) -> PopulationKey:
        return (self.fixture, tuple(sorted(self.scope.items())))


@dataclass(frozen=True)
class Judged:
    """A finding, the population it came from and the item it judged."""

    finding: Finding
    population: PopulationKey
    item: Any


@dataclass(frozen=True)
class Shipped:
    """An item judged in another process (a Dask worker): its model's name and JSON data."""

    model: str
    data: Any


class Capture:
    """Collects populations and judged items while the engine runs (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._populations: dict[PopulationKey, Population] = {}
        self._judged: list[Judged] = []

    def fetched(
        self,
        fixture: str,
        provider: str,
        scope: Mapping[str, str],
        operations: tuple[str, ...],
        value: Any,
        error: BaseException | None,
    ) -> None:
        """Called once per fixture and scope key, with its value or the error it raised."""
        if error is None and not isinstance(value, (list, tuple)):
            return  # a client or settings object, not a population
        items = list(value) if error is None else []
        pop = Population(
            fixture=fixture,
            provider=provider,
            scope=dict(sorted(scope.items())),
            operations=operations,
            complete=error is None,
            record_count=len(items) if error is None else None,
            error="" if error is None else f"{type(error).__name__}: {error}",
            items=items,
        )
        with self._lock:
            self._populations[pop.key] = pop

    def judged(self, findings: list[Finding], population: PopulationKey, item: Any) -> None:
        with self._lock:
            self._judged.extend(Judged(f, population, item) for f in findings)

    @property
    def populations(self) -> list[Population]:
        """Every population, sorted by fixture and scope."""
        with self._lock:
            return [self._populations[k] for k in sorted(self._populations)]

    @property
    def judged_items(self) -> list[Judged]:
        with self._lock:
            return list(self._judged)

    def export(self, findings: list[Finding]) -> dict[str, Any]:
        """What this capture holds as plain JSON data, judged items pointing into ``findings``.

        A Dask worker returns it with the unit's findings; :meth:`absorb` on the
        coordinator puts it back together, so a distributed run records the same
        populations and evidence as a local one.
        """
        from soc2checks._evidence import jsonable

        index = {id(f): i for i, f in enumerate(findings)}
        pops = [
            {
                "fixture": p.fixture,
                "provider": p.provider,
                "scope": p.scope,
                "operations": list(p.operations),
                "complete": p.complete,
                "record_count": p.record_count,
                "error": p.error,
            }
            for p in self.populations
        ]
        judged = []
        for j in self.judged_items:
            if id(j.finding) not in index:
                continue
            cls = type(j.item)
            model, data = (
                (j.item.model, j.item.data)
                if isinstance(j.item, Shipped)
                else (f"{cls.__module__}.{cls.__qualname__}", jsonable(j.item))
            )
            judged.append(
                {
                    "finding": index[id(j.finding)],
                    "population": [j.population[0], [list(kv) for kv in j.population[1]]],
                    "model": model,
                    "data": data,
                }
            )
        return {"populations": pops, "judged": judged}

    def absorb(self, exported: Mapping[str, Any], findings: list[Finding]) -> None:
        """Add what :meth:`export` returned; ``findings`` in the order they were exported."""
        for p in exported["populations"]:
            pop = Population(
                fixture=p["fixture"],
                provider=p["provider"],
                scope=dict(p["scope"]),
                operations=tuple(p["operations"]),
                complete=bool(p["complete"]),
                record_count=p["record_count"],
                error=p["error"],
            )
            with self._lock:
                # Two workers may fetch the same population (a fixture shared by units):
                # an incomplete one wins, so an error is never hidden by a later success.
                old = self._populations.get(pop.key)
                if old is None or (old.complete and not pop.complete):
                    self._populations[pop.key] = pop
        with self._lock:
            for j in exported["judged"]:
                fixture, scope = j["population"]
                key: PopulationKey = (fixture, tuple((str(k), str(v)) for k, v in scope))
                item = Shipped(j["model"], j["data"])
                self._judged.append(Judged(findings[j["finding"]], key, item))
