"""How a check's outcome becomes a status, and what the engine refuses or reports.

- :func:`require_assertions`: no run when ``assert`` is compiled away (``python -O``);
- :func:`outcome`: the status and message of whatever a check raised, pytest's
  outcome exceptions included (matched by module and name, pytest is not imported);
- :func:`finding_observer`: ``soc2checks_finding`` hooks, a failure naming the plugin;
- :func:`idle_checks`: the selected checks that judged nothing, and why.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from soc2checks._api import Skipped
from soc2checks._errors import PluginError, UsageError
from soc2checks._model import Finding, IdleCheck, Status

if TYPE_CHECKING:
    from soc2checks._engine import Executor
    from soc2checks._plugins import CheckDef, Registry

RETURNED_VALUE = "checks return nothing: use assert or fail"


def require_assertions() -> None:
    """Refuse to judge when ``assert`` statements are compiled away (``python -O``)."""
    if sys.flags.optimize:
        raise UsageError(
            "assertions are disabled (python -O or PYTHONOPTIMIZE is set), so failing "
            "checks would pass: run without -O and unset PYTHONOPTIMIZE"
        )


# pytest's outcome exceptions (BaseException subclasses in ``_pytest.outcomes``), by
# class name, without importing pytest: authors of pytest-style checks write them.
_PYTEST_OUTCOMES = {"Skipped": Status.SKIP, "XFailed": Status.SKIP, "Failed": Status.FAIL}


def outcome(exc: BaseException, title: str) -> tuple[Status, str]:
    """The status and message a check's exception stands for (never KeyboardInterrupt)."""
    if isinstance(exc, AssertionError):
        return Status.FAIL, str(exc) or _assert_source(exc, title)
    if isinstance(exc, Skipped):
        return Status.SKIP, str(exc)
    mro = type(exc).__mro__
    if any(c.__name__ == "OutcomeException" and c.__module__ == "_pytest.outcomes" for c in mro):
        # pytest shows Skipped and Failed as builtins; their base class tells them apart
        name = next((c.__name__ for c in mro if c.__name__ in _PYTEST_OUTCOMES), "")
        if name:
            msg = getattr(exc, "msg", None)
            text = str(msg) if msg is not None else str(exc)
            if name == "XFailed":
                text = f"xfail: {text}" if text else "xfail"
            return _PYTEST_OUTCOMES[name], text
    return Status.ERROR, f"{type(exc).__name__}: {exc}"


class HookFailed(PluginError):
    """A ``soc2checks_finding`` implementation raised; names the plugin."""


def finding_observer(registry: Registry) -> Callable[[Finding], None] | None:
    """Call every ``soc2checks_finding`` implementation; a failure names its plugin."""
    hook = registry.pm.hook.soc2checks_finding
    impls = list(reversed(hook.get_hookimpls()))  # pluggy's order: last registered first
    if not impls:
        return None
    if any(i.hookwrapper or i.wrapper for i in impls):

        def via_pluggy(finding: Finding) -> None:
            try:
                hook(finding=finding)
            except Exception as exc:
                raise HookFailed(
                    f"a soc2checks_finding hook raised {type(exc).__name__}: {exc}"
                ) from exc

        return via_pluggy
    calls = [(i.plugin_name, i.function, "finding" in i.argnames) for i in impls]

    def observe(finding: Finding) -> None:
        for plugin, func, wants in calls:
            try:
                if wants:
                    func(finding=finding)
                else:
                    func()
            except Exception as exc:
                raise HookFailed(
                    f"plugin '{plugin}': hook soc2checks_finding raised {type(exc).__name__}: {exc}"
                ) from exc

    return observe


def _assert_source(exc: AssertionError, title: str) -> str:
    """For a bare ``assert``: the failing line, so the message still says why."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    line = (frames[-1].line or "").strip() if frames else ""
    return f"failed: {line}" if line.startswith("assert") else f"{title}: assertion failed"


def idle_checks(
    registry: Registry,
    executor: Executor,
    selected: Sequence[CheckDef],
    findings: Sequence[Finding],
) -> list[IdleCheck]:
    """The selected checks that judged nothing, and why: an empty scope is never green."""
    judged = {f.check_id for f in findings}
    filters = executor.facts.filters()
    out: list[IdleCheck] = []
    for c in selected:
        if c.id in judged:
            continue
        closure = registry.fixture_closure(c.inputs)
        cut = [(n, filters[n]) for n in closure if n in filters and filters[n][0] > 0]
        cut = [(n, f) for n, f in cut if f[1] == 0]
        if cut:
            name, (found, _, by) = cut[-1]
            out.append(
                IdleCheck(
                    check_id=c.id,
                    provider=c.provider,
                    reason="filtered",
                    message=f"'{name}' listed {found} resource(s) and the config ({by}) "
                    "filtered out all of them",
                )
            )
            continue
        empty = sorted(set(executor.empty.get(c.id, ())))
        if empty:
            fixture = empty[0][0]
            labels = [label or "the run" for f, label in empty if f == fixture]
            where = "; ".join(labels[:5])
            if len(labels) > 5:
                where += f"; and {len(labels) - 5} more"
            what = "scopes" if registry.fixtures[fixture].spec.fanout else "resources"
            message = f"'{fixture}' returned no {what} (in {where})"
        else:
            message = "no scope to judge in"
        out.append(
            IdleCheck(check_id=c.id, provider=c.provider, reason="no-resources", message=message)
        )
    return out
