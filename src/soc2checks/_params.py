"""Check parameters (tunables): defaults from the signature, overrides from the config."""

from __future__ import annotations

import collections.abc
import typing
from typing import Any

from pydantic import TypeAdapter, ValidationError

from soc2checks._api import CheckSpec
from soc2checks._config import TOP_LEVEL_KEYS, Config
from soc2checks._config_errors import misplaced_hint
from soc2checks._errors import ConfigError
from soc2checks._plugins import Registry, _suggest


def _annotation(spec: CheckSpec, name: str) -> Any:
    try:
        hints = typing.get_type_hints(spec.func)
    except Exception:
        hints = {}
    if name in hints:
        return hints[name]
    for t in spec.tunables:
        if t.name == name:
            default = t.default
            return Any if default is None else type(default)
    return Any


def _validate(annotation: Any, value: Any) -> Any:
    origin = typing.get_origin(annotation)
    if isinstance(value, list) and origin in (tuple, collections.abc.Sequence, frozenset, set):
        value = tuple(value) if origin is not set and origin is not frozenset else set(value)
    if annotation is tuple and isinstance(value, list):
        value = tuple(value)
    return TypeAdapter(annotation).validate_python(value, strict=True)


def check_params(spec: CheckSpec) -> dict[str, Any]:
    """The defaults of a check's tunables."""
    return {t.name: t.default for t in spec.tunables}


def resolve_params(registry: Registry, config: Config) -> dict[str, dict[str, Any]]:
    """Validated overrides per check ID; unknown checks, names or bad types are errors."""
    out: dict[str, dict[str, Any]] = {}
    for check_id, values in config.data.params.items():
        check = registry.checks.get(check_id)
        if check is None:
            raise ConfigError(
                f'{config.source}: params."{check_id}": no check with this ID'
                f"{_suggest(check_id, registry.checks)}"
            )
        tunables = {t.name for t in check.spec.tunables}
        resolved: dict[str, Any] = {}
        for name, value in values.items():
            if name not in tunables:
                have = ", ".join(sorted(tunables)) or "none"
                raise ConfigError(
                    f'{config.source}: params."{check_id}".{name}: check {check_id} has no '
                    f"parameter '{name}' (its parameters: {have}){_suggest(name, tunables)}"
                    + misplaced_hint(name, f'[params."{check_id}"]', TOP_LEVEL_KEYS)
                )
            ann = _annotation(check.spec, name)
            try:
                resolved[name] = _validate(ann, value)
            except ValidationError as exc:
                expected = getattr(ann, "__name__", None) or str(ann)
                raise ConfigError(
                    f'{config.source}: params."{check_id}".{name}: expected {expected}, got '
                    f"{value!r} ({exc.errors()[0]['msg']})"
                ) from None
        out[check_id] = resolved
    return out


def effective_params(registry: Registry, config: Config, check_id: str) -> dict[str, Any]:
    check = registry.checks[check_id]
    params = check_params(check.spec)
    params.update(resolve_params(registry, config).get(check_id, {}))
    return params
