"""The demo estate gives every AWS check something to say, without a single error."""

from __future__ import annotations

from collections import defaultdict

from soc2checks import Status
from soc2checks.testing.aws import seed_demo_estate

from .conftest import AwsEnv

# Checks judging one thing per account or region show one verdict; the others must
# show both a good and a bad resource.
ONE_VERDICT = {
    "aws.iam.root-mfa": "fail",
    "aws.iam.root-access-keys": "pass",
    "aws.iam.password-policy": "fail",
    "aws.s3.account-public-access-block": "fail",
    "aws.ec2.ebs-default-encryption": "pass",
    "aws.cloudtrail.multi-region": "pass",
    "aws.config.recorder": "pass",
    "aws.guardduty.enabled": "pass",
    "aws.securityhub.enabled": "fail",
}


def test_demo_estate_has_good_and_bad_for_every_check(managed_policies: AwsEnv) -> None:
    aws = managed_policies
    seed_demo_estate(aws.endpoint_url)
    result = aws.run("aws.*")
    by_check: dict[str, set[str]] = defaultdict(set)
    for f in result.findings:
        by_check[f.check_id].add(f.status.value)
    assert len(by_check) == 33
    assert not [f for f in result.findings if f.status is Status.ERROR]
    for check, statuses in by_check.items():
        if check in ONE_VERDICT:
            assert statuses == {ONE_VERDICT[check]}, check
        else:
            assert {"pass", "fail"} <= statuses, (check, statuses)


def test_evidence_names_what_was_judged(managed_policies: AwsEnv) -> None:
    aws = managed_policies
    seed_demo_estate(aws.endpoint_url)
    found = aws.verdicts("aws.iam.console-user-mfa")
    assert found["bob"].evidence.get("mfa_active") is False
    assert found["bob"].evidence.get("password_enabled") is True
    assert found["bob"].resource_type == "AWS::IAM::User"


def test_same_estate_gives_byte_identical_findings_json(managed_policies: AwsEnv) -> None:
    """Two runs over one unchanged estate: the findings document differs only in ``run``."""
    import json

    from soc2checks.reporters import BUILTIN_REPORTERS

    aws = managed_policies
    seed_demo_estate(aws.endpoint_url)

    def document() -> str:
        doc = json.loads(BUILTIN_REPORTERS["json"](aws.run("aws.*")))
        doc.pop("run")
        return json.dumps(doc, sort_keys=True)

    first = document()
    assert first == document()
    assert '"evidence": {}' not in first or first.count('"evidence": {}') < first.count(
        '"check_id"'
    )
