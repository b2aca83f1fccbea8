"""A FakeGcp per test and a way to run gcp checks through the engine."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.provider_config import write_config

import soc2checks
from soc2checks import RunResult
from soc2checks.testing.gcp import FakeGcp, demo_world


@pytest.fixture
def demo() -> dict[str, Any]:
    return copy.deepcopy(demo_world())


@pytest.fixture
def fake_gcp() -> Iterator[Callable[..., FakeGcp]]:
    started: list[FakeGcp] = []

    def start(world: dict[str, Any], **kw: Any) -> FakeGcp:
        fake = FakeGcp(world, **kw)
        fake.start()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.stop()


@pytest.fixture
def run_gcp(tmp_path: Path) -> Callable[..., RunResult]:
    def run(
        fake: FakeGcp,
        checks: str | list[str] = "gcp.*",
        params: dict[str, dict[str, Any]] | None = None,
        **settings: Any,
    ) -> RunResult:
        table: dict[str, Any] = {
            "organization": "123456789012",
            "endpoint": fake.base_url,
            "anonymous": True,
            "kms_locations": ["global", "us"],
        }
        table.update(settings)
        path = write_config(tmp_path / "soc2checks.toml", "gcp", table, params)
        wanted = [checks] if isinstance(checks, str) else checks
        return soc2checks.run(checks=wanted, providers=["gcp"], config=path)

    return run


def verdicts(result: RunResult, check_id: str) -> dict[str, str]:
    """resource_id (shortened after the service host) -> status of one check's findings."""
    out: dict[str, str] = {}
    for f in result.findings:
        if f.check_id == check_id:
            rid = f.resource_id.split(".googleapis.com/", 1)[-1]
            out[rid] = f.status.value
    return out
