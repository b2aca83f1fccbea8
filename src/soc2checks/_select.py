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
    every_provider: bool = False  # listings: ignore whether a provider is configured


def _match_any(value: str, patterns: Sequence[str]) -> bool:
    return any(fnmatchcase(value, p) for p in patterns)


def _require_matches(kind: str, patterns: Sequence[str], universe: Sequence[str]) -> None:
    for p in patterns:
        if not any(fnmatchcase(u, p) for u in universe):
            hint = _suggest_for_glob(p, universe) if _GLOB_CHARS & set(p) else ""
            raise UsageError(f"{kind} '{p}' matches nothing{hint or _suggest(p, universe)}")


def _suggest_for_glob(pattern: str, universe: Sequence[str], limit: int = 3) -> str:
    """Close IDs for a glob that matched nothing.

    First the IDs a looser glob matches (each dotted part may have text around it:
    ``aws.iam.mfa*`` -> ``*aws*.*iam*.*mfa*``), else the IDs closest to the glob's
    literal text (``aws.iam.mfa``).
    """
    looser = ".".join(
        f"*{part.strip('*')}*" if part.strip("*") else "*" for part in pattern.split(".")
    )
    close = sorted(u for u in universe if fnmatchcase(u, looser))
    if close:
        more = f", ... ({len(close)} in all)" if len(close) > limit else ""
        shown = ", ".join(repr(c) for c in close[:limit])
        return f" (did you mean {shown}{more}?)"
    literal = "".join(ch for ch in pattern if ch not in _GLOB_CHARS and ch != "]")
    return _suggest(literal, universe) if literal else ""


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
    for prov in providers or ():
        if prov not in known_providers:
            raise UsageError(
                f"unknown provider '{prov}'{_suggest(prov, known_providers)}; "
                f"known: {', '.join(known_providers)}"
            )
    if sel.controls:
        _require_matches("control", sel.controls, sorted(registry.controls))
    if sel.criteria:
        from soc2checks._catalog import criteria as all_criteria

        _require_matches("criterion", sel.criteria, list(all_criteria()))
    for cat in sel.categories or ():
        if cat not in CATEGORIES:
            raise UsageError(f"unknown category '{cat}'; expected one of {', '.join(CATEGORIES)}")
    enabled = set(config.data.categories or CATEGORIES) | {"security"}
    # Nothing named which providers or checks to run: run the providers the config
    # configures (has a table for), and those that need no configuration.
    implicit = not providers and not check_globs and not sel.every_provider
    unconfigured = {
        name
        for name, prov in registry.providers.items()
        if implicit and prov.settings is not None and name not in config.tables()
    }

    out: list[CheckDef] = []
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
        if c.provider in unconfigured:
            continue
        out.append(c)
    if not out and unconfigured and not (sel.controls or sel.criteria or sel.categories):
        names = ", ".join(sorted(unconfigured))
        raise UsageError(
            f"no provider is configured, so there is nothing to run: pass --provider NAME "
            f"({names}), or add 'providers = [...]' or a [NAME] table to the config"
        )
    return out
