"""The decorators plugin authors use: ``control``, ``check``, ``resource``, ``scope``, ``skip``,
``fail``.

Every decorator attaches a frozen spec to the function and returns the function
unchanged, so a check stays a plain function a user can call with a hand-made
resource. Nothing is registered anywhere: the engine finds decorated objects by
scanning the modules that plugins hand it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

from soc2checks._model import Severity

F = TypeVar("F", bound=Callable[..., Any])

CHECK_ATTR = "__soc2checks_check__"
RESOURCE_ATTR = "__soc2checks_resource__"

_CHECK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")
_CONTROL_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FIXTURE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Skipped(Exception):
    """Raised by [skip][soc2checks.skip]: the check does not apply to this resource."""


def skip(reason: str = "not applicable") -> NoReturn:
    """Mark the current resource as not applicable to the check (status ``skip``)."""
    raise Skipped(reason)


class Failed(AssertionError):
    """Raised by :func:`fail`: the resource does not meet the check."""


def fail(message: str) -> NoReturn:
    """Fail the current resource with ``message`` (status ``fail``), like ``assert``."""
    raise Failed(message)


def _first_line(doc: str | None) -> str:
    if not doc:
        return ""
    return inspect.cleandoc(doc).split("\n\n", 1)[0].replace("\n", " ").strip()


def _rest(doc: str | None) -> str:
    if not doc:
        return ""
    parts = inspect.cleandoc(doc).split("\n\n", 1)
    return parts[1].strip() if len(parts) > 1 else ""


@dataclass(frozen=True)
class Control:
    """A provider-neutral requirement, mapped to Trust Services Criteria.

    Create one with [control][soc2checks.control] at module level; its ``check`` decorator
    declares checks that implement it.
    """

    id: str
    criteria: tuple[str, ...]
    title: str = ""
    description: str = ""
    remediation: str = ""
    module: str = ""

    def check(
        self,
        id: str,
        *,
        over: str | None = None,
        severity: str | Severity = Severity.MEDIUM,
        provider: str | None = None,
        remediation: str = "",
        evidence: Sequence[str] | None = None,
        title: str | None = None,
    ) -> Callable[[F], F]:
        """Declare the decorated function as a check implementing this control."""
        return check(
            id,
            control=self,
            over=over,
            severity=severity,
            provider=provider,
            remediation=remediation,
            evidence=evidence,
            title=title,
        )


def control(
    id: str,
    *,
    criteria: Sequence[str],
    title: str = "",
    description: str = "",
    remediation: str = "",
) -> Control:
    """Declare a control: ``mfa = control("mfa-enforced", criteria=["CC6.1"])``.

    ``title`` and ``description`` default to the calling module's docstring.
    """
    if not isinstance(id, str) or not _CONTROL_ID.match(id):
        raise ValueError(
            f"control ID {id!r} is not valid: use lower-case words joined by '-', "
            "such as 'mfa-enforced'"
        )
    if isinstance(criteria, str):
        criteria = [criteria]
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    module = caller.f_globals.get("__name__", "") if caller is not None else ""
    doc = caller.f_globals.get("__doc__") if caller is not None else None
    return Control(
        id=id,
        criteria=tuple(criteria),
        title=title or _first_line(doc),
        description=description or _rest(doc),
        remediation=remediation,
        module=module,
    )


@dataclass(frozen=True)
class Tunable:
    name: str
    default: Any
    annotation: Any


@dataclass(frozen=True)
class CheckSpec:
    """Metadata the ``check`` decorator attaches to a check function."""

    id: str
    control: Control | str
    func: Callable[..., Any]
    over: str | None
    severity: Severity
    provider: str | None
    remediation: str
    evidence: tuple[str, ...] | None
    title: str
    description: str
    fixtures: tuple[str, ...]
    tunables: tuple[Tunable, ...]
    is_generator: bool

    @property
    def control_id(self) -> str:
        return self.control if isinstance(self.control, str) else self.control.id


def _signature_parts(
    func: Callable[..., Any], *, skip_first: bool
) -> tuple[tuple[str, ...], tuple[Tunable, ...]]:
    sig = inspect.signature(func)
    fixtures: list[str] = []
    tunables: list[Tunable] = []
    params = list(sig.parameters.values())
    if skip_first:
        params = params[1:]
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(f"{func.__qualname__}: *args and **kwargs are not supported")
        if p.default is p.empty:
            fixtures.append(p.name)
        else:
            tunables.append(Tunable(p.name, p.default, p.annotation))
    return tuple(fixtures), tuple(tunables)


def _severity(check_id: str, value: str | Severity) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        import difflib

        valid = [s.value for s in Severity]
        close = difflib.get_close_matches(str(value), valid, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(
            f"check {check_id}: unknown severity {value!r}; valid severities: "
            f"{', '.join(valid)}{hint}"
        ) from None


def check(
    id: str,
    *,
    control: Control | str,
    over: str | None = None,
    severity: str | Severity = Severity.MEDIUM,
    provider: str | None = None,
    remediation: str = "",
    evidence: Sequence[str] | None = None,
    title: str | None = None,
) -> Callable[[F], F]:
    """Declare the decorated function as a check of ``control``.

    ``over`` names a resource fixture: the check runs once per resource, which
    arrives as the first parameter. Other parameters without a default are fixtures
    injected by name; parameters with a default are tunables the config overrides.
    Return normally to pass, ``assert`` to fail with a message, [skip][soc2checks.skip] when
    not applicable. Any other exception is an ``error`` finding.
    """
    if not isinstance(id, str) or not _CHECK_ID.match(id):
        raise ValueError(
            f"check ID {id!r} is not valid: use two or more dotted lower-case parts, "
            "such as 'aws.iam.root-mfa'"
        )
    sev = _severity(id, severity)

    def decorate(func: F) -> F:
        if over is not None and not _FIXTURE_NAME.match(over):
            raise ValueError(f"check {id}: over={over!r} is not a fixture name")
        if over is not None and not list(inspect.signature(func).parameters):
            raise TypeError(
                f"check {id}: over={over!r} needs a first parameter to receive each resource"
            )
        fixtures, tunables = _signature_parts(func, skip_first=over is not None)
        spec = CheckSpec(
            id=id,
            control=control,
            func=func,
            over=over,
            severity=sev,
            provider=provider,
            remediation=remediation,
            evidence=tuple(evidence) if evidence is not None else None,
            title=title or _first_line(func.__doc__) or id,
            description=_rest(func.__doc__),
            fixtures=fixtures,
            tunables=tunables,
            is_generator=inspect.isgeneratorfunction(func),
        )
        setattr(func, CHECK_ATTR, spec)
        return func

    return decorate


@dataclass(frozen=True)
class ResourceSpec:
    """Metadata the ``resource`` and ``scope`` decorators attach."""

    name: str
    func: Callable[..., Any]
    scope: str | None
    fanout: bool
    provider: str | None
    permissions: tuple[str, ...]
    resource_type: str
    description: str
    fixtures: tuple[str, ...] = field(default=())


def resource(
    name: str,
    *,
    scope: str | None = None,
    permissions: Sequence[str] = (),
    provider: str | None = None,
    resource_type: str = "",
    description: str = "",
) -> Callable[[F], F]:
    """Declare a resource fixture: a named, cached collection fetched once per scope.

    The function's parameters are other fixtures, injected by name (for example the
    provider's scope fixture, ``aws_account``). Its scope is the finest scope among
    them; ``scope`` documents and checks it (``"run"``: one fetch per run). It
    returns a list of resources, or one resource; a resource is any object with a
    ``resource_id``. ``permissions`` lists the API actions the fetch needs.
    """
    return _fixture_decorator(name, scope, permissions, provider, resource_type, description, False)


def scope(
    name: str,
    *,
    level: str,
    permissions: Sequence[str] = (),
    provider: str | None = None,
    description: str = "",
) -> Callable[[F], F]:
    """Declare a scope fixture: it returns the scopes to fan out over.

    Each returned value (an AWS account, a GitHub org, …) becomes one instance of
    every fixture and check that depends on it, as a parametrized pytest fixture
    would. A value's ``scope_key`` (a ``dict[str, str]``) names it in findings; its
    ``resource_id`` is the resource of checks that judge the scope as a whole.
    """
    return _fixture_decorator(name, level, permissions, provider, "", description, True)


def _fixture_decorator(
    name: str,
    scope: str | None,
    permissions: Sequence[str],
    provider: str | None,
    resource_type: str,
    description: str,
    fanout: bool,
) -> Callable[[F], F]:
    if not isinstance(name, str) or not _FIXTURE_NAME.match(name):
        raise ValueError(f"fixture name {name!r} is not a valid Python identifier")

    def decorate(func: F) -> F:
        fixtures, tunables = _signature_parts(func, skip_first=False)
        if tunables:
            raise TypeError(
                f"fixture {name}: parameters with defaults are not supported "
                f"({', '.join(t.name for t in tunables)}); read settings from the config"
            )
        spec = ResourceSpec(
            name=name,
            func=func,
            scope=scope,
            fanout=fanout,
            provider=provider,
            permissions=tuple(permissions),
            resource_type=resource_type,
            description=description or _first_line(func.__doc__),
            fixtures=fixtures,
        )
        setattr(func, RESOURCE_ATTR, spec)
        return func

    return decorate
