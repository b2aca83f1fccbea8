"""Access reviews over AWS principals: IAM users and roles from moto through boto3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.access_helpers import by_check, close, days_ago, entries, fill, keep_all, redate, start
from tests.aws.conftest import ACCOUNT, AwsEnv

import soc2checks
from soc2checks import RunResult

SYSTEM = f"aws:{ACCOUNT}"
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}
_ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def _config(aws: AwsEnv) -> Path:
    path = aws.config_file()
    path.write_text(path.read_text() + "[access]\n")
    return path


def _run(cfg: Path) -> RunResult:
    return soc2checks.run(checks=["access.*"], providers=["access"], config=cfg)


def _estate(aws: AwsEnv) -> None:
    iam = aws.client("iam")
    for name in ("alice", "bob", "old-svc"):
        iam.create_user(UserName=name)
    iam.create_login_profile(UserName="alice", Password="Passw0rd!Passw0rd!")
    iam.create_login_profile(UserName="bob", Password="Passw0rd!Passw0rd!")
    arn = iam.create_policy(PolicyName="AdministratorAccess", PolicyDocument=json.dumps(_ADMIN))
    iam.attach_user_policy(UserName="alice", PolicyArn=arn["Policy"]["Arn"])
    iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=json.dumps(_TRUST))
    aws.age_user("old-svc", days=400)


def test_aws_review_snapshot_flags_and_round_trip(
    aws: AwsEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    _estate(aws)
    cfg = _config(aws)
    [path] = start(cfg, SYSTEM, capsys=capsys)
    got = {e["account"]: e for e in entries(path)}
    assert set(got) == {"alice", "bob", "old-svc", "role/deployer"}
    assert got["alice"]["privileged"] is True and got["bob"]["privileged"] is False
    assert got["alice"]["flags"] == ["privileged", "no-mfa"]  # console password, no MFA
    assert got["old-svc"]["flags"] == ["dormant"]
    assert got["role/deployer"]["privileged"] is None  # not read: never assumed safe
    assert got["bob"]["flags"] == ["no-mfa"]
    assert [e["account"] for e in entries(path)] == ["alice", "bob", "old-svc", "role/deployer"]

    fill(path, lambda e: {**keep_all("carol")(e), "note": "break-glass admin"})
    assert close(path, capsys)[0] == 0
    result = _run(cfg)
    assert {f.status.value for f in by_check(result, "access.review.recent").values()} == {"pass"}
    assert {f.status.value for f in by_check(result, "access.review.coverage").values()} == {"pass"}


def test_aws_revoked_user_still_present_after_sla_fails(
    aws: AwsEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    _estate(aws)
    cfg = _config(aws)
    [path] = start(cfg, SYSTEM, capsys=capsys)

    def decide(e: dict[str, object]) -> dict[str, object]:
        if e["account"] in ("old-svc", "bob"):
            return {
                "decision": "revoke",
                "reviewer": "carol",
                "reviewed_on": days_ago(8).isoformat(),
            }
        return {**keep_all("carol")(e), "note": "needed"}

    fill(path, decide)
    redate(path, days_ago(9), days_ago(8))
    aws.client("iam").delete_login_profile(UserName="bob")
    aws.client("iam").delete_user(UserName="bob")
    found = {
        f.resource_id.rsplit("/", 1)[1]: f
        for f in by_check(_run(cfg), "access.review.revocations-done").values()
    }
    assert found["bob"].status.value == "pass"
    assert found["old-svc"].status.value == "fail"
    assert "old-svc" in found["old-svc"].message and "revoked" in found["old-svc"].message

    result = soc2checks.run(
        checks=["access.review.revocations-done"],
        providers=["access"],
        config=_with_param(cfg, 30),
    )
    sla = next(f for f in result.findings if f.resource_id.endswith("old-svc"))
    assert sla.status.value == "skip"  # within a 30-day SLA: not yet due


def _with_param(cfg: Path, days: int) -> Path:
    cfg.write_text(
        cfg.read_text() + f'[params."access.review.revocations-done"]\nrevoke_sla_days = {days}\n'
    )
    return cfg


def test_aws_coverage_new_user_after_review_passes_old_unreviewed_fails(
    aws: AwsEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    _estate(aws)
    cfg = _config(aws)
    [path] = start(cfg, SYSTEM, capsys=capsys)
    fill(path, lambda e: {**keep_all("carol")(e), "note": "needed"})
    redate(path, days_ago(20), days_ago(19))
    iam = aws.client("iam")
    iam.create_user(UserName="new-joiner")  # created today, after the review
    iam.create_user(UserName="forgotten")
    aws.age_user("forgotten", days=60)  # existed at review time, but not in it
    coverage = {
        k.rsplit("/", 1)[1]: f for k, f in by_check(_run(cfg), "access.review.coverage").items()
    }
    assert coverage["new-joiner"].status.value == "pass"
    assert coverage["forgotten"].status.value == "fail"
    assert "forgotten" in coverage["forgotten"].message
    assert coverage["alice"].status.value == "pass"


def test_aws_denied_credential_report_is_an_error_never_covered(
    aws: AwsEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    _estate(aws)
    cfg = _config(aws)
    [path] = start(cfg, SYSTEM, capsys=capsys)
    fill(path, lambda e: {**keep_all("carol")(e), "note": "needed"})
    assert close(path, capsys)[0] == 0
    aws.server.set_iam_enforcement(True)  # the test credentials may do nothing
    result = _run(cfg)
    coverage = by_check(result, "access.review.coverage")
    assert coverage and {f.status.value for f in coverage.values()} == {"error"}
    assert {f.status.value for f in by_check(result, "access.review.recent").values()} == {"error"}
