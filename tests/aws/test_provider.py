"""The AWS provider plugin: hooks, settings, clients, scopes, errors and call counts."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

import soc2checks
import soc2checks_aws
from soc2checks import ConfigError, Status
from soc2checks_aws.clients import AwsClients, strip_account_prefix_handler
from soc2checks_aws.errors import AwsAccessDenied, AwsApiError, call, translate
from soc2checks_aws.iam import parse_credential_report
from soc2checks_aws.settings import AwsSettings

from .conftest import ACCOUNT, AwsEnv, statuses


def _client_error(code: str, message: str = "nope") -> Exception:
    from botocore.exceptions import ClientError

    return ClientError({"Error": {"Code": code, "Message": message}}, "GetBucketPolicy")


def test_provider_descriptor() -> None:
    [provider] = soc2checks_aws.soc2checks_register_providers()
    assert provider.name == "aws"
    assert provider.requires == ("boto3",)
    assert provider.extra == "aws"
    assert provider.settings is AwsSettings
    doc = json.loads(
        provider.render_permissions(
            ["s3:GetBucketPolicy", "iam:GetAccountSummary", "s3:GetBucketPolicy"]
        )
    )
    assert doc["Statement"][0]["Action"] == ["iam:GetAccountSummary", "s3:GetBucketPolicy"]


def test_options() -> None:
    parser = argparse.ArgumentParser()
    soc2checks_aws.soc2checks_addoption(parser)
    ns = parser.parse_args(["--profile", "audit", "--region", "eu-west-1", "--region", "us-east-1"])
    assert ns.aws_profile == "audit"
    assert ns.aws_regions == ["eu-west-1", "us-east-1"]


def test_importing_the_plugin_imports_no_sdk() -> None:
    code = (
        "import sys, soc2checks_aws\n"
        "mods = soc2checks_aws.soc2checks_register_resources()\n"
        "import soc2checks_controls\n"
        "soc2checks_controls.soc2checks_register_controls()\n"
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules, 'SDK imported'\n"
        "print(len(mods))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(len(soc2checks_aws.FIXTURE_MODULES))


def test_every_declared_permission_is_an_iam_action() -> None:
    import re

    from soc2checks._plugins import load_registry

    reg = load_registry()
    aws_fixtures = [f for f in reg.fixtures.values() if f.provider == "aws"]
    assert len(aws_fixtures) > 20
    for f in aws_fixtures:
        for p in f.spec.permissions:
            assert re.fullmatch(r"[a-z0-9-]+:[A-Z][A-Za-z]+", p), (f.name, p)


@pytest.mark.parametrize(
    "table",
    [
        {"accounts": ["123"]},
        {"regions": []},
        {"max_workers": 0},
        {"role": "x"},
        {"accounts": "everything"},
    ],
)
def test_invalid_settings_are_rejected(table: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        AwsSettings.model_validate(table)


def test_invalid_settings_stop_the_run_with_a_config_error(aws: AwsEnv) -> None:
    with pytest.raises(ConfigError, match="aws"):
        aws.run("aws.iam.root-mfa", settings={"accounts": ["12345"]})


def test_error_translation() -> None:
    denied = translate(_client_error("AccessDenied"), "s3:GetBucketPolicy", "bucket b")
    assert isinstance(denied, AwsAccessDenied) and isinstance(denied, PermissionError)
    assert str(denied).startswith("AccessDenied: s3:GetBucketPolicy on bucket b")
    assert isinstance(
        translate(_client_error("UnauthorizedOperation"), "ec2:X", "r"), AwsAccessDenied
    )
    other = translate(_client_error("Throttling", "Rate exceeded"), "ec2:X", "r")
    assert isinstance(other, AwsApiError) and "Throttling: Rate exceeded" in str(other)

    def not_configured() -> None:
        raise _client_error("NoSuchBucketPolicy")

    assert call(not_configured, "s3:GetBucketPolicy", "b", absent=("NoSuchBucketPolicy",)) is None
    with pytest.raises(AwsApiError):
        call(not_configured, "s3:GetBucketPolicy", "b")


def test_credential_report_leaves_out_the_root_user() -> None:
    report = (
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
        "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
        "access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,"
        "access_key_2_last_used_date\n"
        "<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,"
        "2024-01-01T00:00:00+00:00,not_supported,not_supported,false,true,N/A,N/A,false,N/A,N/A\n"
        "ann,arn:aws:iam::1:user/ann,2020-01-01T00:00:00+00:00,true,no_information,"
        "2021-01-01T00:00:00Z,N/A,true,false,N/A,N/A,true,2022-02-02T00:00:00+00:00,N/A\n"
    )
    [ann] = parse_credential_report("1", report)
    assert ann.name == "ann" and ann.password_enabled and ann.mfa_active
    assert ann.password_last_used is None
    assert ann.password_last_changed is not None and ann.password_last_changed.year == 2021
    assert ann.access_key_2_active and ann.access_key_2_last_rotated is not None


def test_strip_account_prefix_handler() -> None:
    class Req:
        url = "http://123456789012.localhost:4566/v20180820/configuration/publicAccessBlock"

    handler = strip_account_prefix_handler("http://localhost:4566")
    req = Req()
    handler(req)
    assert req.url == "http://localhost:4566/v20180820/configuration/publicAccessBlock"
    other = Req()
    other.url = "http://bucket.localhost:4566/key"
    handler(other)
    assert other.url == "http://bucket.localhost:4566/key"  # only numeric account prefixes


def test_endpoint_from_config_and_clients_are_cached(
    aws: AwsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    clients = AwsClients(AwsSettings(endpoint_url=aws.endpoint_url, regions=["us-east-1"]))
    assert clients.caller_account() == ACCOUNT
    s3 = clients.client("s3", ACCOUNT)
    assert s3 is clients.client("s3", ACCOUNT, "us-east-1")
    assert s3.meta.config.retries["mode"] == "adaptive"
    assert s3.meta.config.max_pool_connections >= 10
    assert s3.meta.endpoint_url == aws.endpoint_url
    # the account-level S3 Control call reaches the endpoint through the handler
    found = aws.verdicts(
        "aws.s3.account-public-access-block", settings={"endpoint_url": aws.endpoint_url}
    )
    assert statuses(found) == {ACCOUNT: "fail"}


def test_default_regions_are_the_enabled_ones(aws: AwsEnv) -> None:
    regions = aws.client("ec2").describe_regions()["Regions"]
    enabled = {r["RegionName"] for r in regions if r.get("OptInStatus") != "not-opted-in"}
    aws.server.reset_counts()
    result = aws.run("aws.securityhub.enabled", settings={"regions": None})
    assert {f.scope["region"] for f in result.findings} == enabled
    assert aws.server.counts["ec2:DescribeRegions"] == 1
    assert aws.server.counts["securityhub:DescribeHub"] == len(enabled)
    # --region overrides the config
    result = aws.run("aws.securityhub.enabled", options={"aws_regions": ["eu-west-2"]})
    assert [f.scope["region"] for f in result.findings] == ["eu-west-2"]


def test_one_unreadable_bucket_is_one_error(aws: AwsEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    s3 = aws.client("s3")
    for b in ("open-book", "secret-bucket"):
        s3.create_bucket(Bucket=b)
    iam = aws.client("iam")
    iam.create_user(UserName="auditor")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "s3:GetBucketVersioning",
                "Resource": "arn:aws:s3:::secret-bucket",
            },
        ],
    }
    iam.put_user_policy(UserName="auditor", PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    monkeypatch.delenv("AWS_SECURITY_TOKEN")
    aws.server.set_iam_enforcement(True)
    found = aws.verdicts("aws.s3.versioning")
    assert statuses(found) == {"open-book": "fail", "secret-bucket": "error"}
    assert (
        "AccessDenied: s3:GetBucketVersioning on bucket secret-bucket"
        in found["secret-bucket"].message
    )


def test_list_call_failure_is_one_error_per_scope(
    aws: AwsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    aws.client("iam").create_user(UserName="x")  # created before enforcement
    aws.server.set_iam_enforcement(True)
    result = aws.run("aws.s3.versioning", "aws.s3.tls-only")
    assert [f.status for f in result.findings] == [Status.ERROR, Status.ERROR]
    assert all(
        "s3:ListAllMyBuckets" in f.message or "sts:GetCallerIdentity" in f.message
        for f in result.findings
    )


def test_each_api_call_once_per_run(managed_policies: AwsEnv) -> None:
    from soc2checks.testing.aws import seed_demo_estate

    aws = managed_policies
    seed_demo_estate(aws.endpoint_url)
    aws.server.reset_counts()
    result = aws.run("aws.*")
    assert not [f for f in result.findings if f.status is Status.ERROR]
    counts = aws.server.counts
    buckets, tables = 4, 2
    assert counts["iam:GetCredentialReport"] == 1
    assert counts["iam:GetAccountAuthorizationDetails"] == 1
    assert counts["iam:GetAccountSummary"] == 1
    for op in (
        "GetBucketPolicy",
        "GetBucketAcl",
        "GetBucketVersioning",
        "GetBucketEncryption",
        "GetPublicAccessBlock",
    ):
        assert counts[f"s3:{op}"] == buckets, op
    assert counts["dynamodb:DescribeContinuousBackups"] == tables
    assert counts["s3:ListBuckets"] == 1
    assert counts["ec2:DescribeSecurityGroups"] == 1
    assert all(
        n == 1
        for op, n in counts.items()
        if op.split(":")[1].startswith("List") and op != "s3:ListBuckets"
    )


def test_throttling_is_retried(aws: AwsEnv) -> None:
    aws.client("s3").create_bucket(Bucket="busy-bucket")
    aws.server.inject_fault("s3:GetBucketVersioning", times=1, status=503, code="SlowDown")
    aws.server.reset_counts()
    found = aws.verdicts("aws.s3.versioning")
    assert statuses(found) == {"busy-bucket": "fail"}  # judged on the second attempt
    assert aws.server.counts["s3:GetBucketVersioning"] == 2


def test_throttling_that_never_stops_is_an_error_naming_the_action(aws: AwsEnv) -> None:
    aws.server.inject_fault(
        "iam:GetAccountSummary", times=1000, code="Throttling", message="Rate exceeded"
    )
    found = aws.verdicts("aws.iam.root-mfa", settings={"max_attempts": 2})
    # the fixture failed: one error for the account scope, never a pass or a fail
    assert statuses(found) == {"account": "error"}
    assert "iam:GetAccountSummary on account" in found["account"].message
    assert "Throttling: Rate exceeded" in found["account"].message
    assert aws.server.counts["iam:GetAccountSummary"] == 2


def test_malformed_answer_is_an_error_not_a_verdict(aws: AwsEnv) -> None:
    aws.server.inject_fault("ec2:DescribeSecurityGroups", status=200, body=b"<not-xml")
    result = aws.run("aws.ec2.sg-admin-ports-closed")
    assert [f.status for f in result.findings] == [Status.ERROR]
    assert (
        "ec2:DescribeSecurityGroups on 123456789012/us-east-1 failed" in result.findings[0].message
    )
    assert "ResponseParserError" in result.findings[0].message


def test_server_error_on_one_table_is_one_error(aws: AwsEnv) -> None:
    ddb = aws.client("dynamodb")
    for name in ("alpha", "beta"):
        ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    aws.server.inject_fault(
        "dynamodb:DescribeContinuousBackups", times=1, status=400, code="ValidationException"
    )
    found = aws.verdicts("aws.dynamodb.pitr")
    assert sorted(f.status.value for f in found.values()) == ["error", "fail"]
    [err] = [f for f in found.values() if f.status is Status.ERROR]
    assert "dynamodb:DescribeContinuousBackups on table" in err.message
    assert "ValidationException" in err.message


def test_profile_option_reaches_the_session(aws: AwsEnv) -> None:
    result = aws.run("aws.iam.root-mfa", options={"aws_profile": "no-such-profile"})
    assert [f.status for f in result.findings] == [Status.ERROR]
    assert "no-such-profile" in result.findings[0].message


def test_provider_state_does_not_outlive_a_run(aws: AwsEnv) -> None:
    """Two runs sharing one Config object each fetch afresh (no cache keyed on config)."""
    from soc2checks._config import load_config

    config = load_config(aws.config_file())
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="first-bucket")
    aws.server.reset_counts()
    first = soc2checks.run(checks=["aws.s3.versioning"], providers=["aws"], config=config)
    assert {f.resource_id for f in first.findings} == {"arn:aws:s3:::first-bucket"}
    s3.create_bucket(Bucket="second-bucket")
    second = soc2checks.run(checks=["aws.s3.versioning"], providers=["aws"], config=config)
    assert {f.resource_id for f in second.findings} == {
        "arn:aws:s3:::first-bucket",
        "arn:aws:s3:::second-bucket",
    }
    # Each run built its own clients: the caller's identity was asked once per run.
    assert aws.server.counts["sts:GetCallerIdentity"] == 2
