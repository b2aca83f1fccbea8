"""Selecting checks by ID glob, provider, control, criterion and category."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from soc2checks._config import CATEGORIES, Config
from soc2checks._errors import UsageError
from soc2checks._plugins import CheckDef, Registry, _suggest

_GLOB_CHARS = set("*?[")


@dataclass
class Selection:
    checks: list[str] | None = None
    providers: list[str] | None = None
    controls: list[str] | None = None
    criteria: list[str] | None = None
    categories: list[str] | None = None


def _match_any(value: str, patterns: Sequence[str]) -> bool:
    return any(fnmatchcase(value, p) for p in patterns)


def _require_matches(kind: str, patterns: Sequence[str], universe: Sequence[str]) -> None:
    for p in patterns:
        if not any(fnmatchcase(u, p) for u in universe):
            hint = "" if _GLOB_CHARS & set(p) else _suggest(p, universe)
            raise UsageError(f"{kind} '{p}' matches nothing{hint}")


def select_checks(registry: Registry, config: Config, sel: Selection) -> list[CheckDef]:
    """The checks a run executes, sorted by ID. Unknown names are usage errors."""
    all_checks = sorted(registry.checks.values(), key=lambda c: c.id)
    ids = [c.id for c in all_checks]
    check_globs = sel.checks if sel.checks is not None else config.data.checks
    if check_globs:
        _require_matches("check", check_globs, ids)
    _require_matches("excluded check", config.data.exclude_checks, ids)
    providers = sel.providers if sel.providers is not None else config.data.providers
    known_providers = sorted(set(registry.providers) | {c.provider for c in all_checks})
    for p in providers or ():
        if p not in known_providers:
            raise UsageError(
                f"unknown provider '{p}'{_suggest(p, known_providers)}; "
                f"known: {', '.join(known_providers)}"
            )
    if sel.controls:
        _require_matches("control", sel.controls, sorted(registry.controls))
    if sel.criteria:
        from soc2checks._catalog import criteria as all_criteria

        _require_matches("criterion", sel.criteria, list(all_criteria()))
    for c in sel.categories or ():
        if c not in CATEGORIES:
            raise UsageError(f"unknown category '{c}'; expected one of {', '.join(CATEGORIES)}")
    enabled = set(config.data.categories or CATEGORIES) | {"security"}

    out = []
    for c in all_checks:
        if check_globs and not _match_any(c.id, check_globs):
            continue
        if _match_any(c.id, config.data.exclude_checks):
            continue
        if providers and c.provider not in providers:
            continue
        if sel.controls and not _match_any(c.control.id, sel.controls):
            continue
        if sel.criteria and not any(_match_any(x, sel.criteria) for x in c.criteria):
            continue
        if sel.categories and not (c.categories & set(sel.categories)):
            continue
        if not (c.categories & enabled):
            continue
        out.append(c)
    return out
