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


def management_events(selectors: dict[str, Any]) -> tuple[bool | None, str | None, list[str]]:
    """What ``GetEventSelectors``' answer keeps of management events, over every selector.

    Returns (any management events, ``All``/``ReadOnly``/``WriteOnly``, the filters that
    narrow them); (None, None, []) when the answer carries neither selector list. A
    trail whose selector lists are both empty logs all read and write management
    events (AWS: "By default, trails created without
    specific event selectors are configured to log all read and write management
    events"). Basic selectors add up (ReadOnly + WriteOnly is All); an advanced selector
    counts when its ``eventCategory`` field selects ``Management``; ``readOnly`` narrows
    it to reads or writes, any other field (``eventSource NotEquals kms...``) or
    ``ExcludeManagementEventSources`` narrows it to part of the management events.
    """
    if "EventSelectors" not in selectors and "AdvancedEventSelectors" not in selectors:
        return None, None, []  # an answer without either list says nothing: not "all"
    basic = selectors.get("EventSelectors") or []
    advanced = selectors.get("AdvancedEventSelectors") or []
    if not basic and not advanced:
        return True, "All", []
    reads = writes = False
    narrowed: list[str] = []
    for s in basic:
        if not s.get("IncludeManagementEvents", True):
            continue
        rw = s.get("ReadWriteType", "All")
        reads |= rw in ("All", "ReadOnly")
        writes |= rw in ("All", "WriteOnly")
        narrowed += [f"excludes {src}" for src in s.get("ExcludeManagementEventSources") or []]
    for adv in advanced:
        fields = adv.get("FieldSelectors") or []
        category = [f for f in fields if f.get("Field") == "eventCategory"]
        if not any("Management" in (f.get("Equals") or []) for f in category):
            continue
        r, w = True, True
        for f in fields:
            name = f.get("Field")
            if name == "eventCategory":
                continue
            if name == "readOnly":
                values = {str(v).lower() for v in f.get("Equals") or []}
                values |= {
                    "false" if str(v).lower() == "true" else "true"
                    for v in f.get("NotEquals") or []
                }
                r, w = "true" in values, "false" in values
                continue
            ops = {k: v for k, v in f.items() if k != "Field" and v}
            narrowed.append(f"selector {adv.get('Name') or '?'}: {name} {ops}")
        reads |= r
        writes |= w
    if not (reads or writes):
        return False, None, narrowed
    rw_all = "All" if reads and writes else ("ReadOnly" if reads else "WriteOnly")
    return True, rw_all, sorted(set(narrowed))


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
        mgmt, rw, narrowed = management_events(selectors)
        logging = status.get("IsLogging")
        return TrailStatus(
            **base,
            is_logging=logging if isinstance(logging, bool) else None,
            management_events=mgmt,
            read_write_type=rw,
            management_filters=narrowed,
        )

    multi = [t for t in aws_cloudtrail_trails if t.multi_region]
    statuses = bounded_map(one, multi, aws_clients.settings.max_workers)
    return CloudTrailSummary(account_id=account, trails=statuses)
