"""GitHub helpers: the demo world and a way to run github checks through the engine.

``fake_github`` (start a FakeGitHub, stopped after the test) is in ``tests/conftest.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import soc2checks
from soc2checks import RunResult
from soc2checks.testing.github import FakeGitHub, demo_world


@pytest.fixture
def demo() -> dict[str, Any]:
    return copy.deepcopy(demo_world())


@pytest.fixture
def run_github(tmp_path: Path) -> Callable[..., RunResult]:
    def run(gh: FakeGitHub, checks: str | list[str] = "github.*", **settings: Any) -> RunResult:
        table: dict[str, Any] = {"orgs": ["acme"], "base_url": gh.base_url, "token": "t"}
        table.update(settings)
        lines = ['providers = ["github"]', "[github]"]
        for key, value in table.items():
            lines.append(f"{key} = {_toml(value)}")
        path = tmp_path / "soc2checks.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        wanted = [checks] if isinstance(checks, str) else checks
        return soc2checks.run(checks=wanted, providers=["github"], config=path)

    return run


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
