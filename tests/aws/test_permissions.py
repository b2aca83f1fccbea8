"""The checks run under exactly the policy ``soc2checks permissions aws`` prints.

moto enforces IAM policies (and request signatures) once its no-auth action count is
reset to 0 through its server API; the run then uses an IAM user holding only the
printed policy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from soc2checks import Status
from soc2checks.cli import main
from soc2checks.testing.aws import seed_demo_estate

from .conftest import AwsEnv

# moto 5.2 cannot authorize these requests correctly, whatever the policy, so the
# enforced run leaves their checks out (each is a moto limitation, not ours):
# - GuardDuty and Security Hub (REST-JSON GET): moto recomputes the SigV4 signature
#   over its parsed parameters instead of the empty body -> SignatureDoesNotMatch;
# - S3 Control GetPublicAccessBlock: routed through moto's S3 authorizer, which
#   answers 403 for any policy;
# - S3 GetBucketEncryption: moto asks for ``s3:ListBucket`` (its fallback for an
#   unknown sub-resource) instead of AWS's ``s3:GetEncryptionConfiguration``;
# - CloudWatch DescribeAlarms: moto asks for ``monitoring:DescribeAlarms`` (the endpoint
#   prefix) where AWS's IAM action is ``cloudwatch:DescribeAlarms``.
MOTO_UNENFORCEABLE = frozenset(
    {
        "aws.cloudwatch.capacity-alarms",
        "aws.guardduty.enabled",
        "aws.securityhub.enabled",
        "aws.s3.account-public-access-block",
        "aws.s3.bucket-public-access-block",
        "aws.s3.default-encryption",
    }
)


def _printed_policy(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["permissions", "aws", "--check", "aws.*"]) == 0
    out = capsys.readouterr().out
    doc: dict[str, Any] = json.loads(out)
    return doc


def _auditor(aws: AwsEnv, policy: dict[str, Any]) -> dict[str, str]:
    iam = aws.client("iam")
    iam.create_user(UserName="auditor")
    iam.put_user_policy(
        UserName="auditor", PolicyName="soc2checks", PolicyDocument=json.dumps(policy)
    )
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    return {
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
    }


def _as(monkeypatch: pytest.MonkeyPatch, creds: dict[str, str]) -> None:
    for k, v in creds.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_SECURITY_TOKEN", raising=False)


def test_printed_policy_is_a_valid_least_privilege_document(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = _printed_policy(capsys)
    assert doc["Version"] == "2012-10-17"
    [statement] = doc["Statement"]
    actions = statement["Action"]
    assert statement["Effect"] == "Allow"
    assert actions == sorted(set(actions))
    assert all("*" not in a and a.count(":") == 1 for a in actions)
    assert "iam:GetCredentialReport" in actions and "s3:GetBucketPolicy" in actions
    # one check asks only for what its fixtures call
    capsys.readouterr()
    assert main(["permissions", "aws", "--check", "aws.s3.versioning"]) == 0
    one = json.loads(capsys.readouterr().out)["Statement"][0]["Action"]
    # single-account mode (no [aws] accounts): no organizations:ListAccounts
    assert set(one) == {"s3:ListAllMyBuckets", "s3:GetBucketVersioning"}


def test_checks_run_under_exactly_the_printed_policy(
    managed_policies: AwsEnv, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    aws = managed_policies
    seed_demo_estate(aws.endpoint_url)
    policy = _printed_policy(capsys)
    creds = _auditor(aws, policy)
    _as(monkeypatch, creds)
    aws.server.set_iam_enforcement(True)
    checks = sorted(_all_aws_checks() - MOTO_UNENFORCEABLE)
    assert len(checks) == 27
    result = aws.run(*checks)
    errors = [
        f"{f.check_id} {f.resource_id}: {f.message}"
        for f in result.findings
        if f.status is Status.ERROR
    ]
    assert errors == []
    assert {f.check_id for f in result.findings} == set(checks)
    assert {f.check_id for f in result.findings} >= {
        "aws.iam.root-mfa",
        "aws.s3.tls-only",
        "aws.kms.key-rotation",
    }
    assert result.summary.fail > 0 and result.summary.pass_ > 0


@pytest.mark.parametrize(
    ("missing", "check", "where"),
    [
        ("s3:GetBucketPolicy", "aws.s3.tls-only", "bucket acme-customer-data"),
        ("iam:GetCredentialReport", "aws.iam.console-user-mfa", "account 123456789012"),
        ("ec2:DescribeSecurityGroups", "aws.ec2.sg-admin-ports-closed", "123456789012/us-east-1"),
    ],
)
def test_a_missing_action_is_an_error_naming_it(
    managed_policies: AwsEnv,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    missing: str,
    check: str,
    where: str,
) -> None:
    aws = managed_policies
    seed_demo_estate(aws.endpoint_url)
    policy = _printed_policy(capsys)
    policy["Statement"][0]["Action"].remove(missing)
    _as(monkeypatch, _auditor(aws, policy))
    aws.server.set_iam_enforcement(True)
    result = aws.run(check, "aws.iam.root-mfa")
    mine = [f for f in result.findings if f.check_id == check]
    assert mine and all(f.status is Status.ERROR for f in mine)
    assert any(f"AccessDenied: {missing} on {where}" in f.message for f in mine), mine[0].message
    # never a fail or a pass for what could not be read; other checks are unaffected
    root = [f for f in result.findings if f.check_id == "aws.iam.root-mfa"]
    assert [f.status for f in root] == [Status.FAIL]


def _all_aws_checks() -> set[str]:
    from soc2checks._plugins import load_registry

    return {c for c in load_registry().checks if c.startswith("aws.")}


def _policy(tmp_path: Path, table: str) -> dict[str, Any]:
    from soc2checks._config import load_config
    from soc2checks._configcheck import validate_provider_settings
    from soc2checks._plugins import build_registry, discover_entry_points

    (tmp_path / "soc2checks.toml").write_text(table)
    config = load_config(tmp_path / "soc2checks.toml")
    registry = build_registry(discover_entry_points())
    validate_provider_settings(registry, config)
    actions = ["s3:ListAllMyBuckets", "organizations:ListAccounts", "iam:GetCredentialReport"]
    doc: dict[str, Any] = json.loads(
        registry.providers["aws"].permissions_text(actions, config=config)
    )
    return doc


def test_policy_fits_the_account_mode(tmp_path: Path) -> None:
    single = _policy(tmp_path, '[aws]\nregions = ["us-east-1"]\n')
    assert [s["Sid"] for s in single["Statement"]] == ["Soc2ChecksReadOnly"]
    assert single["Statement"][0]["Action"] == ["iam:GetCredentialReport", "s3:ListAllMyBuckets"]
    org = _policy(tmp_path, '[aws]\naccounts = "organization"\nrole_name = "Audit"\n')
    assert "organizations:ListAccounts" in org["Statement"][0]["Action"]
    assert org["Statement"][1] == {
        "Sid": "Soc2ChecksAssumeMemberRole",
        "Effect": "Allow",
        "Action": ["sts:AssumeRole"],
        "Resource": "arn:aws:iam::*:role/Audit",
    }
    listed = _policy(tmp_path, '[aws]\naccounts = ["111111111111"]\n')
    assert "organizations:ListAccounts" not in listed["Statement"][0]["Action"]
    assert listed["Statement"][1]["Resource"] == "arn:aws:iam::*:role/OrganizationAccountAccessRole"
