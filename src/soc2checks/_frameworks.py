"""Collecting the frameworks plugins register, merged and checked, for one registry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from soc2checks._errors import PluginError, UsageError
from soc2checks._plugins import Registry
from soc2checks.frameworks import TSC, Framework, tsc_framework

if TYPE_CHECKING:
    from soc2checks._model import Finding, RunResult


def frameworks(registry: Registry) -> dict[str, Framework]:
    """Every framework by ID: the built-in TSC, then those plugins register.

    Registrations of one ID must list the same requirements; their mappings merge. A
    mapping naming an unknown requirement, or a control no plugin declares, is a
    :class:`PluginError`.
    """
    out: dict[str, Framework] = {TSC: tsc_framework(registry.controls)}
    hook = registry.pm.hook.soc2checks_register_frameworks
    for impl in hook.get_hookimpls():
        try:
            result: Iterable[object] = list(impl.function() or ())  # type: ignore[call-overload]
        except Exception as exc:
            raise PluginError(
                f"plugin '{impl.plugin_name}': hook soc2checks_register_frameworks raised "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        for fw in result:
            if not isinstance(fw, Framework):
                raise PluginError(
                    f"plugin '{impl.plugin_name}': soc2checks_register_frameworks returned "
                    f"{type(fw).__name__}, expected soc2checks.frameworks.Framework"
                )
            out[fw.id] = _merge(out.get(fw.id), fw, impl.plugin_name)
    for fw in out.values():
        dangling = fw.dangling()
        if dangling:
            raise PluginError(
                f"framework '{fw.id}': the mapping names unknown requirements: "
                f"{', '.join(dangling[:5])}"
            )
        unknown = sorted(set(fw.mapping) - set(registry.controls))
        if unknown:
            raise PluginError(
                f"framework '{fw.id}': the mapping names unknown controls: {', '.join(unknown)}"
            )
    return out


def _merge(old: Framework | None, new: Framework, plugin: str) -> Framework:
    if old is None:
        return new
    if old.requirements != new.requirements:
        raise PluginError(
            f"plugin '{plugin}': framework '{new.id}' is registered with other requirements"
        )
    mapping = dict(old.mapping)
    for control, ids in new.mapping.items():
        mapping[control] = tuple(dict.fromkeys((*mapping.get(control, ()), *ids)))
    return Framework(old.id, old.title, old.requirements, mapping)


def framework(registry: Registry, name: str | None) -> Framework:
    """The framework ``--framework`` names (default: the Trust Services Criteria)."""
    known = frameworks(registry)
    key = name or TSC
    if key not in known:
        raise UsageError(f"unknown framework '{key}'; available: {', '.join(sorted(known))}")
    return known[key]


def remap_finding(finding: Finding, fw: Framework) -> Finding:
    """A copy of ``finding`` whose criteria are ``fw``'s requirement IDs for its control."""
    return finding.model_copy(
        update={"criteria": type(finding.criteria)(fw.ids_of(finding.control_id))}
    )


def by_framework(result: RunResult, fw: Framework) -> RunResult:
    """The result with each finding's criteria replaced by the framework's requirement IDs
    (copies: findings are never changed)."""

    def remap(findings: list[Finding]) -> list[Finding]:
        return [remap_finding(f, fw) for f in findings]

    return result.model_copy(
        update={
            "findings": remap(result.findings),
            "regressions": remap(result.regressions),
            "new_errors": remap(result.new_errors),
        }
    )
