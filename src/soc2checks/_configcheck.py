"""Checking a loaded config against what the plugins declare.

The config file is validated on its own when it is loaded; what its names refer to
(provider tables, the checks of waivers, the controls of ``[owners]``) is known only
once the plugins are loaded. Every mistake here is a one-line :class:`ConfigError`
with a suggestion, never a setting that silently does nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import re
from collections.abc import Sequence
from fnmatch import fnmatchcase

from pydantic import BaseModel, ValidationError

from soc2checks._config import TOP_LEVEL_KEYS, Config, Waiver
from soc2checks._config_errors import (
    describe_validation_error,
    field_names,
    misplaced_hint,
    suggest,
    unknown_key_message,
)
from soc2checks._errors import ConfigError
from soc2checks._model import Finding, Status
from soc2checks._plugins import Registry

_GLOB_CHARS = frozenset("*?[")


def validate_config(registry: Registry, config: Config) -> None:
    """Provider tables, ``[owners]`` and waivers, against the loaded plugins."""
    validate_provider_settings(registry, config)
    _check_owners(registry, config)
    _check_waivers(registry, config)


def _forbids_by_default(model: type[BaseModel]) -> bool:
    """A settings model forbids unknown keys unless it sets ``extra`` itself."""
    return model.model_config.get("extra") in (None, "forbid")


def validate_provider_settings(registry: Registry, config: Config) -> None:
    """Validate each provider's config table; reject unknown top-level keys and tables."""
    extra = config.data.model_extra or {}
    for key in sorted(extra):
        if key not in registry.providers:
            tables = sorted(registry.providers)
            raise ConfigError(
                f"{config.source}: unknown key '{key}'; valid top-level keys: "
                f"{', '.join(TOP_LEVEL_KEYS)}; provider tables: {', '.join(tables) or 'none'}"
                f"{suggest(key, [*TOP_LEVEL_KEYS, *tables])}"
            )
    for name, prov in sorted(registry.providers.items()):
        model = prov.settings
        table = config.section(name)
        if model is None:
            # The plugin reads its table itself; a top-level key there is still a mistake.
            for key in table:
                if key in TOP_LEVEL_KEYS:
                    raise ConfigError(
                        f"{config.source}: key '{key}' in [{name}] is a top-level key"
                        + misplaced_hint(key, f"[{name}]", TOP_LEVEL_KEYS)
                    )
            continue
        if _forbids_by_default(model):
            valid = field_names(model)
            accepted = set(valid) | set(model.model_fields)
            unknown = [k for k in table if k not in accepted]
            if unknown:
                also = ""
                if len(unknown) > 1:
                    also = f"; also unknown: {', '.join(repr(k) for k in unknown[1:])}"
                raise ConfigError(
                    f"{config.source}: "
                    + unknown_key_message(unknown[0], f"[{name}]", valid, TOP_LEVEL_KEYS)
                    + also
                )
        try:
            config.set_settings(name, model.model_validate(table))
        except ValidationError as exc:
            raise ConfigError(
                describe_validation_error(
                    config.source, exc, model, table=name, top_level=TOP_LEVEL_KEYS
                )
            ) from None


def _check_owners(registry: Registry, config: Config) -> None:
    if registry.blocked:
        return  # a blocked plugin's controls are unknown to this run, not to the config
    controls = sorted(registry.controls)
    for control_id in config.data.owners:
        if control_id not in registry.controls:
            raise ConfigError(
                f"{config.source}: [owners] names unknown control '{control_id}'"
                f"{suggest(control_id, controls)}; see 'soc2checks list controls'"
                + misplaced_hint(control_id, "[owners]", TOP_LEVEL_KEYS)
            )


def _suggest_glob(pattern: str, ids: Sequence[str]) -> str:
    """For a glob that matches nothing: the same glob with a close dotted prefix."""
    literal = pattern[: min(pattern.index(c) for c in _GLOB_CHARS if c in pattern)]
    head = literal.rsplit(".", 1)[0] if "." in literal else ""
    if not head:
        return ""
    n = head.count(".") + 1
    prefixes = sorted({".".join(i.split(".")[:n]) for i in ids if i.count(".") >= n})
    fixed = [
        pattern.replace(head, c, 1)
        for c in difflib.get_close_matches(head, prefixes, n=3, cutoff=0.8)
    ]
    good = [g for g in fixed if any(fnmatchcase(i, g) for i in ids)]
    return f" (did you mean {', '.join(repr(g) for g in good)}?)" if good else ""


def _check_waivers(registry: Registry, config: Config) -> None:
    ids = sorted(registry.checks)
    for i, w in enumerate(config.data.waivers):
        if w.check.split(".", 1)[0] in registry.blocked:
            continue  # the checks of a plugin blocked with -p no:NAME
        where = f"{config.source}: waivers[{i}].check"
        if _GLOB_CHARS & set(w.check):
            if not any(fnmatchcase(c, w.check) for c in ids):
                raise ConfigError(
                    f"{where}: '{w.check}' matches no check{_suggest_glob(w.check, ids)}; "
                    "see 'soc2checks list checks'"
                )
        elif w.check not in registry.checks:
            raise ConfigError(
                f"{where}: unknown check '{w.check}'{suggest(w.check, ids)}; "
                "see 'soc2checks list checks'"
            )


def unmatched_waiver_warnings(
    waivers: Sequence[Waiver], findings: Sequence[Finding], today: dt.date
) -> list[str]:
    """Live waivers whose checks judged resources in this run, none matching ``resource``.

    Such a waiver waives nothing; most often its resource pattern has a typo or the
    resource was renamed. Waivers whose checks did not run are not judged.
    """
    live = [w for w in waivers if w.resource != "*" and w.live(today)]
    if not live:
        return []
    by_check: dict[str, list[str]] = {}
    for f in findings:
        if f.status is not Status.ERROR:
            by_check.setdefault(f.check_id, []).append(f.resource_id)
    out = []
    for w in live:
        matches = re.compile(fnmatch.translate(w.resource)).match
        judged = [rids for cid, rids in by_check.items() if fnmatchcase(cid, w.check)]
        count = sum(len(rids) for rids in judged)
        if count and not any(matches(r) for rids in judged for r in rids):
            out.append(
                f"waiver for check '{w.check}' on resource '{w.resource}' matched none of the "
                f"{count} resource(s) its checks judged in this run; check the resource "
                "pattern (resource IDs are shown with -f json)"
            )
    return out
