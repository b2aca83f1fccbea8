"""Access-review tests over the fake GitHub: a config with [github] and [access]."""

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
def world() -> dict[str, Any]:
    return copy.deepcopy(demo_world())


@pytest.fixture
def github_config(tmp_path: Path) -> Callable[..., Path]:
    def write(gh: FakeGitHub, orgs: tuple[str, ...] = ("acme",), access: str = "") -> Path:
        names = ", ".join(f'"{o}"' for o in orgs)
        path = tmp_path / "soc2checks.toml"
        path.write_text(
            f'[github]\norgs = [{names}]\nbase_url = "{gh.base_url}"\ntoken = "t"\n'
            f"[access]\n{access}",
            encoding="utf-8",
        )
        return path

    return write


@pytest.fixture
def run_access() -> Callable[[Path], RunResult]:
    def run(config: Path) -> RunResult:
        return soc2checks.run(checks=["access.*"], providers=["access"], config=config)

    return run
