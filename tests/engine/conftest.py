from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from tests.engine import sample_plugin

from soc2checks import Config, RunResult
from soc2checks._config import load_config
from soc2checks._engine import prepare, run_checks
from soc2checks._plugins import build_registry, wrap_extra


@pytest.fixture(autouse=True)
def _fresh_calls() -> None:
    sample_plugin.CALLS.counts.clear()


def write_config(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "soc2checks.toml"
    p.write_text(text, encoding="utf-8")
    return p


RunOnly = Callable[..., RunResult]


@pytest.fixture
def run_only(tmp_path: Path) -> RunOnly:
    """Run the engine over the given plugin modules only (no installed plugins)."""

    def _run(
        *modules: object,
        config: str | Config | None = None,
        today: dt.date | None = None,
        baseline: Path | None = None,
        jobs: int = 8,
        **selection: Sequence[str],
    ) -> RunResult:
        mods = modules or (sample_plugin,)
        cfg = (
            load_config(write_config(tmp_path, config))
            if isinstance(config, str)
            else (config or Config())
        )
        registry = build_registry(wrap_extra(mods))
        prep = prepare(config=cfg, registry=registry, **selection)  # type: ignore[arg-type]
        return run_checks(prepared=prep, today=today, baseline=baseline, jobs=jobs)

    return _run


def by_key(result: RunResult) -> dict[tuple[str, str], Any]:
    return {(f.check_id, f.resource_id): f for f in result.findings}
