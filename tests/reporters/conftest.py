"""Hand-built run results for the reporter tests: every status, waivers, awkward text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from pydantic import BaseModel

from soc2checks import Finding, RunInfo, RunResult, Severity, Status, Summary
from soc2checks._model import PluginInfo, WaiverInfo

NASTY = "<script>alert(\"x\")</script> & 'quotes' | pipe ]]> `tick` *star* \x1b[31m\x07"


class Tag(BaseModel):
    key: str
    value: str


def sample_findings() -> list[Finding]:
    """Findings of every status, deliberately not in the documented order."""
    waiver = WaiverInfo(
        check="aws.s3.*",
        resource="arn:aws:s3:::public-website-*",
        justification="static marketing site, no customer <data> & no PII",
        approved_by="ciso@example.com",
        expires=dt.date(2027, 3, 31),
        ticket="SEC-42",
    )
    return [
        Finding(
            check_id="aws.s3.bucket-encryption",
            control_id="encryption-at-rest",
            criteria=["CC6.1", "CC6.7"],
            status=Status.ERROR,
            severity=Severity.HIGH,
            provider="aws",
            scope={"region": "eu-west-1", "account": "111111111111"},
            resource_id="arn:aws:s3:::logs",
            resource_type="AWS::S3::Bucket",
            message="PermissionError: AccessDenied: s3:GetBucketEncryption on bucket logs",
        ),
        Finding(
            check_id="aws.iam.console-user-mfa",
            control_id="mfa-enforced",
            criteria=["CC6.1", "CC6.2"],
            status=Status.PASS,
            severity=Severity.HIGH,
            provider="aws",
            scope={"account": "111111111111"},
            resource_id="arn:aws:iam::111111111111:user/alice",
            resource_type="AWS::IAM::User",
            evidence={"mfa_active": True, "password_enabled": True},
            remediation="Enable an MFA device for the user.",
        ),
        Finding(
            check_id="aws.iam.console-user-mfa",
            control_id="mfa-enforced",
            criteria=["CC6.1", "CC6.2"],
            status=Status.FAIL,
            severity=Severity.HIGH,
            provider="aws",
            scope={"account": "111111111111"},
            resource_id="arn:aws:iam::111111111111:user/bob",
            resource_type="AWS::IAM::User",
            message="bob can sign in to the console without MFA " + NASTY,
            evidence={
                "mfa_active": False,
                "password_last_used": dt.date(2026, 11, 1),
                "created": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
                "groups": {"zeta", "admins", "Développeurs"},
                "tags": [Tag(key="owner", value="Zoë <ops>")],
            },
            remediation="Enable an MFA device for the user & rotate <keys>.",
        ),
        Finding(
            check_id="aws.iam.console-user-mfa",
            control_id="mfa-enforced",
            criteria=["CC6.1", "CC6.2"],
            status=Status.FAIL,
            severity=Severity.HIGH,
            provider="aws",
            scope={"account": "000000000000"},
            resource_id="arn:aws:iam::000000000000:user/carol",
            resource_type="AWS::IAM::User",
            message="carol can sign in to the console without MFA",
        ),
        Finding(
            check_id="aws.s3.public-access-blocked",
            control_id="encryption-at-rest",
            criteria=["CC6.1", "CC6.7"],
            status=Status.WAIVED,
            severity=Severity.MEDIUM,
            provider="aws",
            scope={"account": "111111111111"},
            resource_id="arn:aws:s3:::public-website-prod",
            resource_type="AWS::S3::Bucket",
            message="bucket allows public reads",
            waiver=waiver,
        ),
        Finding(
            check_id="github.org.2fa-required",
            control_id="mfa-enforced",
            criteria=["CC6.1", "CC6.2"],
            status=Status.SKIP,
            severity=Severity.HIGH,
            provider="github",
            scope={"org": "acme"},
            resource_id="acme",
            message="organization is on a plan without this setting",
        ),
        Finding(
            check_id="files.policy.reviewed",
            control_id="policies-reviewed",
            criteria=["CC1.1", "CC5.3"],
            status=Status.PASS,
            severity=Severity.MEDIUM,
            provider="files",
            scope={},
            resource_id="compliance/policies/sécurité-安全.md",
            resource_type="policy",
            evidence={"last_reviewed": dt.date(2026, 6, 1)},
        ),
        Finding(
            check_id="custom.unmapped",
            control_id="",
            criteria=[],
            status=Status.FAIL,
            severity=Severity.CRITICAL,
            provider="local",
            scope={},
            resource_id="",
            message="multi\nline & <b>bold</b>",
        ),
    ]


def make_result(
    findings: list[Finding],
    *,
    run_id: str = "run-0001",
    started: dt.datetime | None = None,
    warnings: list[str] | None = None,
) -> RunResult:
    tz = dt.timezone(dt.timedelta(hours=2))
    start = started or dt.datetime(2026, 11, 28, 12, 0, 0, tzinfo=tz)
    run = RunInfo(
        id=run_id,
        started_at=start,
        finished_at=start + dt.timedelta(seconds=42, microseconds=5),
        tool_version="0.1.0",
        plugins=[
            PluginInfo(name="aws", distribution="soc2checks", version="0.1.0"),
            PluginInfo(name="local", distribution=None, version=None),
        ],
        config_digest="sha256:" + "0" * 64,
        warnings=warnings
        if warnings is not None
        else ["waiver for 'aws.ec2.*' expired on 2026-01-31"],
    )
    return RunResult(run=run, summary=Summary.of(findings), findings=findings)


@pytest.fixture
def findings() -> list[Finding]:
    return sample_findings()


@pytest.fixture
def result() -> RunResult:
    return make_result(sample_findings())


@pytest.fixture
def build() -> Callable[..., RunResult]:
    return make_result
