"""Writing a one-provider ``soc2checks.toml`` for the provider tests (GCP, Azure)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def toml_value(value: Any) -> str:
    """``value`` as a TOML literal (bools, numbers, strings, lists of them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config(
    path: Path,
    provider: str,
    table: dict[str, Any],
    params: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """A config selecting ``provider`` with its ``[provider]`` table (``None`` values left out)."""
    lines = [f'providers = ["{provider}"]', f"[{provider}]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in table.items() if v is not None]
    for check_id, values in (params or {}).items():
        lines.append(f'[params."{check_id}"]')
        lines += [f"{k} = {toml_value(v)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
