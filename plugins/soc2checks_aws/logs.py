"""CloudWatch Logs fixtures, per region: log groups and their retention."""

from __future__ import annotations

from soc2checks import resource
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import paginate as _paginate
from soc2checks_aws.models import AwsRegion, LogGroup


@resource(
    "aws_log_groups",
    scope="region",
    provider="aws",
    permissions=["logs:DescribeLogGroups"],
    resource_type="AWS::Logs::LogGroup",
)
def aws_log_groups(aws_region: AwsRegion, aws_clients: AwsClients) -> list[LogGroup]:
    """Every log group of the region (paginated; no per-group call)."""
    account, region = aws_region.account_id, aws_region.region
    logs = aws_clients.client("logs", account, region)
    raw = _paginate(
        logs, "describe_log_groups", "logGroups", "logs:DescribeLogGroups", f"{account}/{region}"
    )
    return [
        LogGroup(
            account_id=account,
            region=region,
            name=g["logGroupName"],
            arn=(
                g.get("arn") or f"arn:aws:logs:{region}:{account}:log-group:{g['logGroupName']}"
            ).removesuffix(":*"),
            retention_days=g.get("retentionInDays"),
            stored_bytes=g.get("storedBytes"),
        )
        for g in raw
    ]
