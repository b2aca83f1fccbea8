"""Checks and policy readers called directly on hand-made models (no AWS at all)."""

from __future__ import annotations

from typing import Any

import pytest

from soc2checks._api import Skipped
from soc2checks_aws.models import CloudTrailSummary, IngressRule, KmsKey, SecurityGroup, TrailStatus
from soc2checks_aws.policy import denies_insecure_transport, grants_full_admin, public_statements
from soc2checks_controls.audit_logging import aws_cloudtrail_multi_region
from soc2checks_controls.key_management import aws_kms_key_rotation
from soc2checks_controls.network_ingress import aws_sg_admin_ports_closed


def _doc(*statements: dict[str, object]) -> dict[str, object]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


@pytest.mark.parametrize(
    ("statement", "admin"),
    [
        ({"Effect": "Allow", "Action": "*", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": ["*"]}, True),
        ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}, False),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, False),
        ({"Effect": "Deny", "Action": "*", "Resource": "*"}, False),
        ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, False),
    ],
)
def test_full_admin(statement: dict[str, object], admin: bool) -> None:
    assert grants_full_admin(_doc(statement)) is admin
    assert grants_full_admin({"Statement": statement}) is admin  # a lone statement object


@pytest.mark.parametrize(
    ("condition", "public"),
    [
        (None, True),
        ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, True),
        ({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}, False),
        ({"StringEquals": {"aws:SourceAccount": "111122223333"}}, False),
        ({"StringLike": {"aws:PrincipalOrgID": "*"}}, True),
        ({"StringEquals": {"s3:prefix": "public/"}}, True),
    ],
)
def test_public_statement(condition: dict[str, object] | None, public: bool) -> None:
    s: dict[str, object] = {
        "Effect": "Allow",
        "Principal": {"AWS": ["*"]},
        "Action": "s3:GetObject",
    }
    if condition:
        s["Condition"] = condition
    assert bool(public_statements(_doc(s))) is public


def test_tls_policy_variants() -> None:
    deny: dict[str, object] = {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": ["s3:*"],
        "Condition": {"BoolIfExists": {"aws:SecureTransport": ["false"]}},
    }
    assert denies_insecure_transport(_doc(deny))
    assert not denies_insecure_transport(_doc({**deny, "Action": "s3:GetObject"}))
    assert not denies_insecure_transport(_doc({**deny, "Effect": "Allow"}))
    assert not denies_insecure_transport(
        _doc({**deny, "Condition": {"Bool": {"aws:SecureTransport": "true"}}})
    )
    assert not denies_insecure_transport(None)


def _sg(*rules: IngressRule) -> SecurityGroup:
    return SecurityGroup(
        account_id="1", region="r", group_id="sg-1", group_name="g", ingress=list(rules)
    )


@pytest.mark.parametrize(
    ("rule", "open_"),
    [
        (IngressRule(protocol="tcp", from_port=20, to_port=25, ipv4_ranges=["0.0.0.0/0"]), True),
        (IngressRule(protocol="6", from_port=3389, to_port=3389, ipv6_ranges=["::/0"]), True),
        (
            IngressRule(protocol="udp", from_port=3389, to_port=3389, ipv4_ranges=["0.0.0.0/0"]),
            True,
        ),
        (IngressRule(protocol="icmp", from_port=-1, to_port=-1, ipv4_ranges=["0.0.0.0/0"]), False),
        (IngressRule(protocol="tcp", from_port=23, to_port=3388, ipv4_ranges=["0.0.0.0/0"]), False),
        (IngressRule(protocol="-1", ipv4_ranges=["10.0.0.0/8"]), False),
        (IngressRule(protocol="-1", prefix_lists=["pl-1"]), False),
    ],
)
def test_admin_port_rules(rule: IngressRule, open_: bool) -> None:
    if open_:
        with pytest.raises(AssertionError, match="security group sg-1"):
            aws_sg_admin_ports_closed(_sg(rule))
    else:
        aws_sg_admin_ports_closed(_sg(rule))


def test_kms_rotation_skips_imported_and_aws_managed_keys() -> None:
    base: dict[str, Any] = {
        "account_id": "1",
        "region": "r",
        "key_id": "k",
        "arn": "arn:k",
        "spec": "SYMMETRIC_DEFAULT",
    }
    with pytest.raises(Skipped, match="managed by AWS"):
        aws_kms_key_rotation(
            KmsKey(
                **base, manager="AWS", state="Enabled", usage="ENCRYPT_DECRYPT", origin="AWS_KMS"
            )
        )
    with pytest.raises(Skipped, match="origin EXTERNAL"):
        aws_kms_key_rotation(
            KmsKey(
                **base,
                manager="CUSTOMER",
                state="Enabled",
                usage="ENCRYPT_DECRYPT",
                origin="EXTERNAL",
            )
        )
    with pytest.raises(RuntimeError, match="ThrottlingException"):
        aws_kms_key_rotation(
            KmsKey(**base, error="kms:DescribeKey on key arn:k failed: ThrottlingException: x")
        )


def test_multi_region_error_is_raised_not_judged() -> None:
    summary = CloudTrailSummary(
        account_id="1",
        trails=[
            TrailStatus(
                arn="a",
                name="main",
                home_region="r",
                error="AccessDenied: cloudtrail:GetTrailStatus on trail a",
            )
        ],
    )
    with pytest.raises(PermissionError, match="cloudtrail:GetTrailStatus"):
        aws_cloudtrail_multi_region(summary)
    ok = TrailStatus(
        arn="b",
        name="other",
        home_region="r",
        is_logging=True,
        management_events=True,
        read_write_type="All",
    )
    aws_cloudtrail_multi_region(summary.model_copy(update={"trails": [*summary.trails, ok]}))


def test_models_round_trip_through_json() -> None:
    key = KmsKey(account_id="1", region="r", key_id="k", arn="arn:k", rotation_enabled=True)
    assert KmsKey.model_validate_json(key.model_dump_json()) == key
    assert key.resource_id == "arn:k"
