"""Security Hub fixtures, per region: whether the account is subscribed."""

from __future__ import annotations

from soc2checks import resource
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import call
from soc2checks_aws.models import AwsRegion, SecurityHubStatus

# Security Hub answers DescribeHub with these when the account is not subscribed.
NOT_ENABLED = ("InvalidAccessException", "ResourceNotFoundException")


@resource(
    "aws_securityhub_status",
    scope="region",
    provider="aws",
    permissions=["securityhub:DescribeHub"],
    resource_type="AWS::SecurityHub::Hub",
)
def aws_securityhub_status(aws_region: AwsRegion, aws_clients: AwsClients) -> SecurityHubStatus:
    """Whether Security Hub is enabled in the region (one ``DescribeHub``)."""
    account, region = aws_region.account_id, aws_region.region
    sh = aws_clients.client("securityhub", account, region)
    answer = call(
        sh.describe_hub, "securityhub:DescribeHub", f"{account}/{region}", absent=NOT_ENABLED
    )
    if answer is None:
        return SecurityHubStatus(account_id=account, region=region, enabled=False)
    return SecurityHubStatus(
        account_id=account, region=region, enabled=True, hub_arn=answer.get("HubArn")
    )
