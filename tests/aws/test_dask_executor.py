"""The Dask executor on a real LocalCluster of 2 processes against moto, several accounts.

Workers are separate processes: they rebuild the registry from the config file, get
credentials from the standard chain (the environment they inherited) and assume the
member roles themselves; moto's state is reached over loopback like any AWS endpoint.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import soc2checks
from soc2checks import RunResult, Status
from soc2checks.reporters.json import render

from .conftest import ACCOUNT, AwsEnv
from .test_organization import ALLOW_ALL, ROLE, _auditor, _in_account, _organization

pytestmark = pytest.mark.slow

CHECKS = ["aws.iam.root-mfa", "aws.ec2.ebs-default-encryption", "aws.s3.*"]


def _run(aws: AwsEnv, executor: str) -> RunResult:
    config = aws.config_file({"accounts": "organization"})
    if executor == "dask":
        config.write_text(
            config.read_text() + '[executor]\nkind = "dask"\nmax_in_flight = 2\nworkers = 2\n'
        )
    return soc2checks.run(checks=CHECKS, providers=["aws"], config=config)


def _without_run_info(result: RunResult) -> str:
    doc: dict[str, Any] = json.loads(render(result))
    doc.pop("run")
    return json.dumps(doc, indent=2, sort_keys=True)


def test_dask_findings_are_byte_identical_and_a_denied_role_is_one_accounts_error(
    aws: AwsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = _organization(aws, members=3)
    _in_account(aws, members[0], "ec2").enable_ebs_encryption_by_default()
    for i, account in enumerate(members):
        _in_account(aws, account, "s3").create_bucket(Bucket=f"bucket-{i}-{account}")
        _in_account(aws, account, "iam").put_role_policy(
            RoleName=ROLE, PolicyName="audit", PolicyDocument=json.dumps(ALLOW_ALL)
        )
    denied = members[2]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "sts:AssumeRole",
                "Resource": f"arn:aws:iam::{denied}:role/{ROLE}",
            },
        ],
    }
    _auditor(aws, monkeypatch, policy)
    aws.server.set_iam_enforcement(True)

    local = _run(aws, "local")
    dask = _run(aws, "dask")

    assert _without_run_info(dask) == _without_run_info(local)
    assert [f.fingerprint() for f in dask.findings] == [f.fingerprint() for f in local.findings]
    accounts = {f.scope["account"] for f in dask.findings}
    assert accounts == {ACCOUNT, *members}
    errors = [f for f in dask.findings if f.status is Status.ERROR]
    assert errors and {f.scope["account"] for f in errors} == {denied}
    assert all("sts:AssumeRole" in f.message for f in errors)
    fine = [f for f in dask.findings if f.scope["account"] != denied]
    assert {f.scope["account"] for f in fine} == {ACCOUNT, *members[:2]}
    assert any(f.status is Status.PASS for f in fine)


def _stored(aws: AwsEnv, executor: str, url: str) -> tuple[list[tuple[Any, ...]], list[str]]:
    """What the evidence store holds after one run: populations and judged models."""
    from sqlalchemy import select

    from soc2checks._capture import Capture
    from soc2checks._engine import run_checks
    from soc2checks.store import _schema as t
    from soc2checks.store import open_store

    capture = Capture()
    config = aws.config_file({"accounts": "organization"})
    if executor == "dask":
        config.write_text(config.read_text() + '[executor]\nkind = "dask"\nworkers = 2\n')
    result = run_checks(checks=CHECKS, providers=["aws"], config=config, capture=capture)
    with open_store(url) as store:
        store.record(result, capture)
        with store._engine.connect() as conn:
            pops = sorted(
                (r.fixture, r.scope, r.complete, r.record_count, r.error)
                for r in conn.execute(select(t.populations))
            )
            linked = sorted(
                str(r.resource) for r in conn.execute(select(t.observations.c.resource))
            )
    return pops, linked


def test_a_dask_run_records_the_same_populations_and_evidence(
    aws: AwsEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    members = _organization(aws, members=2)
    for i, account in enumerate(members):
        _in_account(aws, account, "s3").create_bucket(Bucket=f"bucket-{i}-{account}")
    local = _stored(aws, "local", f"sqlite:///{tmp_path / 'local.db'}")
    dask = _stored(aws, "dask", f"sqlite:///{tmp_path / 'dask.db'}")
    assert dask == local
    pops, linked = dask
    assert any(p[0].startswith("aws_s3") and p[3] for p in pops), pops
    assert any(r != "None" for r in linked)  # findings point at their judged models
