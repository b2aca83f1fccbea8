"""A real AWS-on-moto run recorded in the store replays with the moto server stopped."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from soc2checks._capture import Capture
from soc2checks._engine import run_checks
from soc2checks._plugins import load_registry
from soc2checks._replay import replay
from soc2checks.store import open_store
from soc2checks.testing.aws import MotoServer

from .conftest import _FAKE_ENV, REGION, AwsEnv


def test_moto_run_replays_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = MotoServer(load_aws_managed_policies=False).start()
    try:
        for k, v in _FAKE_ENV.items():
            monkeypatch.setenv(k, v)
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.endpoint_url)
        s3 = boto3.client("s3", region_name=REGION)
        for name in ("open-logs", "private-data"):
            s3.create_bucket(Bucket=name)
        s3.put_public_access_block(
            Bucket="private-data",
            PublicAccessBlockConfiguration={
                k: True
                for k in (
                    "BlockPublicAcls",
                    "IgnorePublicAcls",
                    "BlockPublicPolicy",
                    "RestrictPublicBuckets",
                )
            },
        )
        capture = Capture()
        config = AwsEnv(server, tmp_path).config_file()
        result = run_checks(checks=["aws.s3.*"], providers=["aws"], config=config, capture=capture)
    finally:
        server.stop()
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    with open_store(url) as store:
        store.record(result, capture, params={})
        stored = store.stored_run(result.run.id)
    assert stored is not None
    got = replay(stored, load_registry())
    judged = [f for f in result.findings if f.resource_id.endswith(("open-logs", "private-data"))]
    assert judged and {f.status.value for f in judged} >= {"pass", "fail"}
    assert got.ok, (got.changed, got.errors, got.added)
    assert len(got.reproduced) + len(got.not_replayable) == len(result.findings)
    assert {f.resource_id for f in got.reproduced} >= {f.resource_id for f in judged}
