"""Organization fan-out: every active account through sts:AssumeRole, failures per account."""

from __future__ import annotations

import json
from typing import Any

import pytest

from soc2checks import Status

from .conftest import ACCOUNT, AwsEnv

ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
ROLE = "OrganizationAccountAccessRole"


def _organization(aws: AwsEnv, members: int = 3) -> list[str]:
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    ids = []
    for i in range(members):
        status = org.create_account(AccountName=f"member-{i}", Email=f"m{i}@example.com")
        ids.append(status["CreateAccountStatus"]["AccountId"])
    return ids


def _in_account(aws: AwsEnv, account: str, service: str, region: str = "us-east-1") -> Any:
    creds = aws.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="setup"
    )["Credentials"]
    return aws.client(
        service,
        region,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _auditor(aws: AwsEnv, monkeypatch: pytest.MonkeyPatch, policy: dict[str, Any]) -> None:
    iam = aws.client("iam")
    iam.create_user(UserName="auditor")
    iam.put_user_policy(UserName="auditor", PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_SECURITY_TOKEN", raising=False)


def test_every_active_account_is_checked(aws: AwsEnv) -> None:
    members = _organization(aws)
    _in_account(aws, members[0], "ec2").enable_ebs_encryption_by_default()
    aws.client("organizations").close_account(AccountId=members[2])  # closed: not in scope
    result = aws.run(
        "aws.iam.root-mfa", "aws.ec2.ebs-default-encryption", settings={"accounts": "organization"}
    )
    by = {(f.check_id, f.scope["account"]): f.status.value for f in result.findings}
    in_scope = {ACCOUNT, members[0], members[1]}
    assert {a for _, a in by} == in_scope
    assert {a for (c, a) in by if c == "aws.iam.root-mfa"} == in_scope
    assert by[("aws.ec2.ebs-default-encryption", members[0])] == "pass"
    assert by[("aws.ec2.ebs-default-encryption", members[1])] == "fail"
    assert by[("aws.ec2.ebs-default-encryption", ACCOUNT)] == "fail"
    ebs = [f for f in result.findings if f.check_id == "aws.ec2.ebs-default-encryption"]
    assert all(f.scope == {"account": f.scope["account"], "region": "us-east-1"} for f in ebs)


def test_listed_accounts(aws: AwsEnv) -> None:
    members = _organization(aws, members=2)
    result = aws.run("aws.iam.root-mfa", settings={"accounts": [members[1]]})
    assert [f.scope["account"] for f in result.findings] == [members[1]]
    assert result.findings[0].resource_id == f"arn:aws:iam::{members[1]}:root"


def test_one_account_failing_gives_errors_for_that_account_only(
    aws: AwsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad, other = _organization(aws)
    for account in (good, other):
        _in_account(aws, account, "iam").put_role_policy(
            RoleName=ROLE, PolicyName="audit", PolicyDocument=json.dumps(ALLOW_ALL)
        )
    # ``bad``'s role holds no policy: every call in that account is denied
    _auditor(aws, monkeypatch, ALLOW_ALL)
    aws.server.set_iam_enforcement(True)
    result = aws.run(
        "aws.iam.root-mfa", "aws.ec2.ebs-default-encryption", settings={"accounts": "organization"}
    )
    errors = [f for f in result.findings if f.status is Status.ERROR]
    assert {f.scope["account"] for f in errors} == {bad}
    assert {f.check_id for f in errors} == {"aws.iam.root-mfa", "aws.ec2.ebs-default-encryption"}
    assert any("AccessDenied: iam:GetAccountSummary on account " + bad in f.message for f in errors)
    assert any("ec2:GetEbsEncryptionByDefault" in f.message for f in errors)
    fine = [f for f in result.findings if f.scope["account"] != bad]
    assert {f.scope["account"] for f in fine} == {ACCOUNT, good, other}
    assert all(f.status is Status.FAIL for f in fine)


def test_assume_role_denied_is_an_error_per_member_account(
    aws: AwsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = _organization(aws, members=2)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": "*"},
        ],
    }
    _auditor(aws, monkeypatch, policy)
    aws.server.set_iam_enforcement(True)
    result = aws.run(
        "aws.iam.root-mfa", settings={"accounts": "organization", "external_id": "x-1"}
    )
    by = {f.scope["account"]: f for f in result.findings}
    assert set(by) == {ACCOUNT, *members}
    assert by[ACCOUNT].status is Status.FAIL
    for m in members:
        assert by[m].status is Status.ERROR
        assert f"AccessDenied: sts:AssumeRole on arn:aws:iam::{m}:role/{ROLE}" in by[m].message


def test_listing_the_organization_denied_is_one_error(
    aws: AwsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    _organization(aws, members=1)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "organizations:ListAccounts", "Resource": "*"},
        ],
    }
    _auditor(aws, monkeypatch, policy)
    aws.server.set_iam_enforcement(True)
    result = aws.run("aws.iam.root-mfa", settings={"accounts": "organization"})
    assert [f.status for f in result.findings] == [Status.ERROR]
    assert "organizations:ListAccounts" in result.findings[0].message


def test_each_accounts_identity_and_endpoint_are_in_the_run_facts(aws: AwsEnv) -> None:
    """A redirected AWS_ENDPOINT_URL or an unexpected role is visible in the report:
    every account's sts:GetCallerIdentity answer and the endpoint used are recorded."""
    members = _organization(aws, members=2)
    aws.server.reset_counts()
    result = aws.run("aws.iam.root-mfa", settings={"accounts": "organization"})
    facts = result.run.facts["aws"]
    assert facts["accounts"] == sorted([ACCOUNT, *members])
    caller = facts[f"{ACCOUNT}.identity"]
    assert caller["account"] == ACCOUNT and caller["via"] == "the caller's credentials"
    assert caller["endpoint"] == aws.endpoint_url
    for m in members:
        ident = facts[f"{m}.identity"]
        assert ident["account"] == m
        assert ident["arn"].startswith(f"arn:aws:sts::{m}:assumed-role/{ROLE}/")
        assert ident["via"] == f"sts:AssumeRole arn:aws:iam::{m}:role/{ROLE}"
        assert ident["endpoint"] == aws.endpoint_url
    # one identity call per account: the caller's, and one per assumed role
    assert aws.server.counts["sts:GetCallerIdentity"] == 1 + len(members)
    assert aws.server.counts["sts:AssumeRole"] == len(members)
