"""CloudTrail fixtures, per account: trails (from every region) and their status."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_aws._concurrency import bounded_map
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import AwsError, call_required
from soc2checks_aws.models import AwsAccount, CloudTrailSummary, Trail, TrailStatus


@resource(
    "aws_cloudtrail_trails",
    scope="account",
    provider="aws",
    permissions=["cloudtrail:DescribeTrails", "ec2:DescribeRegions"],
    resource_type="AWS::CloudTrail::Trail",
)
def aws_cloudtrail_trails(aws_account: AwsAccount, aws_clients: AwsClients) -> list[Trail]:
    """Every trail that applies to the account's regions (org trails included), once each.

    One ``cloudtrail:DescribeTrails`` per region, shadow trails included so that
    multi-region and organization trails created elsewhere are seen; de-duplicated.
    """
    account = aws_account.account_id
    regions = aws_clients.enabled_regions(account)

    def one(region: str) -> list[dict[str, Any]]:
        ct = aws_clients.client("cloudtrail", account, region)
        answer = call_required(
            ct.describe_trails,
            "cloudtrail:DescribeTrails",
            f"{account}/{region}",
            includeShadowTrails=True,
        )
        return list(answer.get("trailList", []))

    seen: dict[str, Trail] = {}
    for region, found in zip(
        regions, bounded_map(one, regions, aws_clients.settings.max_workers), strict=True
    ):
        for t in found:
            arn = t.get("TrailARN") or f"arn:aws:cloudtrail:{region}:{account}:trail/{t['Name']}"
            if arn in seen:
                continue
            seen[arn] = Trail(
                account_id=account,
                name=t.get("Name", ""),
                arn=arn,
                home_region=t.get("HomeRegion") or region,
                multi_region=bool(t.get("IsMultiRegionTrail", False)),
                organization_trail=bool(t.get("IsOrganizationTrail", False)),
                log_file_validation=bool(t.get("LogFileValidationEnabled", False)),
                kms_key_id=t.get("KmsKeyId") or None,
                s3_bucket=t.get("S3BucketName"),
            )
    return sorted(seen.values(), key=lambda t: t.arn)


def management_events(selectors: dict[str, Any]) -> tuple[bool, str | None]:
    """Whether ``GetEventSelectors``' answer keeps management events, and which kind."""
    for s in selectors.get("EventSelectors") or []:
        if s.get("IncludeManagementEvents", True):
            return True, s.get("ReadWriteType", "All")
    for adv in selectors.get("AdvancedEventSelectors") or []:
        for f in adv.get("FieldSelectors", []):
            if f.get("Field") == "eventCategory" and "Management" in f.get("Equals", []):
                rw = "All"
                for g in adv.get("FieldSelectors", []):
                    if g.get("Field") == "readOnly" and g.get("Equals"):
                        rw = "ReadOnly" if g["Equals"][0] == "true" else "WriteOnly"
                return True, rw
    return False, None


@resource(
    "aws_cloudtrail_summary",
    scope="account",
    provider="aws",
    permissions=[
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
        "ec2:DescribeRegions",
    ],
    resource_type="AWS::CloudTrail::Account",
)
def aws_cloudtrail_summary(
    aws_account: AwsAccount, aws_cloudtrail_trails: list[Trail], aws_clients: AwsClients
) -> CloudTrailSummary:
    """The account's multi-region trails with logging status and management-event selectors."""
    account = aws_account.account_id

    def one(t: Trail) -> TrailStatus:
        ct = aws_clients.client("cloudtrail", account, t.home_region)
        base: dict[str, Any] = {"arn": t.arn, "name": t.name, "home_region": t.home_region}
        try:
            status = call_required(
                ct.get_trail_status, "cloudtrail:GetTrailStatus", f"trail {t.arn}", Name=t.arn
            )
            selectors = call_required(
                ct.get_event_selectors,
                "cloudtrail:GetEventSelectors",
                f"trail {t.arn}",
                TrailName=t.arn,
            )
        except AwsError as exc:
            return TrailStatus(**base, error=str(exc))
        mgmt, rw = management_events(selectors)
        return TrailStatus(
            **base,
            is_logging=bool(status.get("IsLogging", False)),
            management_events=mgmt,
            read_write_type=rw,
        )

    multi = [t for t in aws_cloudtrail_trails if t.multi_region]
    statuses = bounded_map(one, multi, aws_clients.settings.max_workers)
    return CloudTrailSummary(account_id=account, trails=statuses)
