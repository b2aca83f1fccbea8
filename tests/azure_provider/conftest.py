"""A FakeAzure per test and a way to run azure checks through the engine."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.provider_config import write_config

import soc2checks
from soc2checks import RunResult
from soc2checks.testing.azure import FakeAzure, demo_world


@pytest.fixture
def demo() -> dict[str, Any]:
    return copy.deepcopy(demo_world())


@pytest.fixture
def fake_azure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., FakeAzure]]:
    started: list[FakeAzure] = []

    def start(world: dict[str, Any], **kw: Any) -> FakeAzure:
        fake = FakeAzure(world, **kw)
        fake.start()
        monkeypatch.setenv("SOC2CHECKS_AZURE_TOKEN", fake.token)
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.stop()


@pytest.fixture
def run_azure(tmp_path: Path) -> Callable[..., RunResult]:
    def run(
        fake: FakeAzure,
        checks: str | list[str] = "azure.*",
        params: dict[str, dict[str, Any]] | None = None,
        **settings: Any,
    ) -> RunResult:
        table: dict[str, Any] = {
            "tenant_id": fake.world["tenant"]["id"],
            "endpoint": fake.base_url,
            "graph_endpoint": fake.graph_url,
            "credential": "token",
            "max_attempts": 3,
        }
        table.update(settings)
        path = write_config(tmp_path / "soc2checks.toml", "azure", table, params)
        wanted = [checks] if isinstance(checks, str) else checks
        return soc2checks.run(checks=wanted, providers=["azure"], config=path)

    return run


def by_check(result: RunResult, check_id: str) -> dict[str, str]:
    """The last path segments of each resource -> status, for one check."""
    out: dict[str, str] = {}
    for f in result.findings:
        if f.check_id == check_id:
            key = "/".join(f.resource_id.rstrip("/").split("/")[-2:])
            out[key] = f.status.value
    return out
