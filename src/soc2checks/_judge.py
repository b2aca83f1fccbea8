"""Judging: call a check per resource of a scope and turn every outcome into a finding."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from soc2checks._api import Skipped
from soc2checks._config import Waiver
from soc2checks._evidence import (
    RecordingView,
    declared,
    jsonable,
    missing_message,
    missing_read,
    recorded,
)
from soc2checks._fixtures_cache import (
    Assignment,
    FixtureFailed,
    _FixtureCache,
    flat_key,
    scope_key_of,
)
from soc2checks._model import Finding, Status, WaiverInfo
from soc2checks._outcomes import RETURNED_VALUE, HookFailed, outcome
from soc2checks._plugins import CheckDef


class _Judging(_FixtureCache):
    """Makes findings (waivers applied) from checks judged in scope assignments."""

    params: Mapping[str, Mapping[str, Any]]
    on_finding: Callable[[Finding], None] | None
    waivers: list[Waiver]
    expired_used: set[tuple[str, str, str]]
    empty: dict[str, list[tuple[str, str]]]
    _lock: threading.Lock

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
            got = self._call(check, scope, item, str(rid_v), str(rtype), kwargs)
            if self.capture is not None and spec.over:
                pop = (spec.over, tuple(sorted(flat_key(self._key(spec.over, amap)).items())))
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
