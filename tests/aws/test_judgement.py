"""Checks called directly on hand-made models (no AWS at all).

What policy documents mean is tested in ``test_policy.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from soc2checks._api import Skipped
from soc2checks_aws.models import CloudTrailSummary, IngressRule, KmsKey, SecurityGroup, TrailStatus
from soc2checks_controls.audit_logging import aws_cloudtrail_multi_region
from soc2checks_controls.key_management import aws_kms_key_rotation
from soc2checks_controls.network_ingress import aws_sg_admin_ports_closed


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
