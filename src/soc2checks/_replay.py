"""Replay: re-judge a stored run's evidence with the checks, offline, and compare.

Each stored judged item is ``{"model": "module.Qualname", "data": {...}}``: the model
class is imported and validated, and the check is called on it with the run's stored
parameters, exactly as the engine calls it. Nothing is fetched: no credentials, no SDK.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soc2checks._config import Waiver
    from soc2checks._model import Finding
    from soc2checks._plugins import Registry
    from soc2checks.store._replay import StoredRun


@dataclass
class Replayed:
    """The outcome of a replay: per stored finding, reproduced, changed, not replayable or error."""

    reproduced: list[Finding] = field(default_factory=list)
    changed: list[tuple[Finding, Finding | None]] = field(default_factory=list)
    added: list[Finding] = field(default_factory=list)
    not_replayable: list[tuple[Finding, str]] = field(default_factory=list)
    errors: list[tuple[Finding, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.added or self.errors)

    def counts(self) -> dict[str, int]:
        return {
            "reproduced": len(self.reproduced),
            "changed": len(self.changed),
            "added": len(self.added),
            "not_replayable": len(self.not_replayable),
            "errors": len(self.errors),
        }


def import_model(path: str) -> type:
    """The class named ``module.Qualname`` (the longest importable module prefix)."""
    parts = path.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        if not isinstance(obj, type):
            raise TypeError(f"{path} is not a class")
        return obj
    raise ImportError(f"no module of {path} imports")


def _key(f: Finding) -> tuple[str, tuple[tuple[str, str], ...], str]:
    return (f.check_id, tuple(sorted(f.scope.items())), f.resource_id)


def _same(a: Finding, b: Finding) -> bool:
    from soc2checks.reporters.json import finding_to_dict

    return finding_to_dict(a) == finding_to_dict(b)


def _judge_one(
    registry: Registry,
    params: dict[str, dict[str, Any]],
    waivers: list[Waiver],
    today: dt.date,
) -> Any:
    from soc2checks._judge import _Judging

    j: Any = object.__new__(_Judging)
    j.registry = registry
    j.params = params
    j.on_finding = None
    j.waivers = waivers
    j.expired_used = set()
    j.empty = {}
    j.today = today
    j.capture = None
    j._lock = threading.Lock()
    return j


def replay(
    run: StoredRun,
    registry: Registry,
    *,
    params: dict[str, dict[str, Any]] | None = None,
    waivers: list[Waiver] | None = None,
) -> Replayed:
    """Re-judge every stored finding that has a stored item; never a pass without judging."""

    params = params if params is not None else dict(run.meta.get("params") or {})
    started = str(run.meta.get("started_at") or "")
    today = (
        dt.date.fromisoformat(started[:10]) if started else dt.datetime.now(dt.timezone.utc).date()
    )
    judging = _judge_one(registry, params, list(waivers or []), today)
    out = Replayed()
    groups: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[Any]] = {}
    for finding, rdigest, item in run.entries:
        if item is None or rdigest is None:
            why = "no stored item (scope-level check or fetch error)"
            out.not_replayable.append((finding, why))
            continue
        gk = (finding.check_id, rdigest, tuple(sorted(finding.scope.items())))
        groups.setdefault(gk, []).append((finding, item))
    for (check_id, _d, _s), members in sorted(groups.items()):
        stored = [m[0] for m in members]
        item_doc = members[0][1]
        check = registry.checks.get(check_id)
        if check is None:
            out.errors.extend((f, f"check {check_id} is not installed") for f in stored)
            continue
        if check.spec.fixtures:
            why = "check takes fixtures besides the judged item: " + ", ".join(check.spec.fixtures)
            out.not_replayable.extend((f, why) for f in stored)
            continue
        try:
            cls: Any = import_model(str(item_doc.get("model")))
            obj = cls.model_validate(item_doc.get("data"))
        except Exception as exc:  # the model moved, changed or no longer validates
            msg = f"model {item_doc.get('model')} no longer loads: {type(exc).__name__}: {exc}"
            out.errors.extend((f, msg.splitlines()[0][:300]) for f in stored)
            continue
        first = stored[0]
        kwargs = {k: v for k, v in params.get(check_id, {}).items()}
        got = judging._call(
            check, dict(first.scope), obj, first.resource_id, first.resource_type, kwargs
        )
        by_key = {_key(g): g for g in got}
        for f in stored:
            new = by_key.pop(_key(f), None)
            if new is not None and _same(f, new):
                out.reproduced.append(f)
            else:
                out.changed.append((f, new))
        out.added.extend(by_key.values())
    return out
