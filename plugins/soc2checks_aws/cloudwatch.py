"""Capacity-monitoring fixtures, per region: CloudWatch metric alarms and Auto Scaling groups.

Two paginated list calls each; no per-resource call (the scaling policies of every group
come from one paginated ``DescribePolicies``).
"""

from __future__ import annotations

from soc2checks import resource
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import paginate
from soc2checks_aws.models import AwsRegion
from soc2checks_aws.models_lifecycle import AutoScalingGroup, MetricAlarm


@resource(
    "aws_cloudwatch_alarms",
    scope="region",
    provider="aws",
    permissions=["cloudwatch:DescribeAlarms"],
    resource_type="AWS::CloudWatch::Alarm",
)
def aws_cloudwatch_alarms(aws_region: AwsRegion, aws_clients: AwsClients) -> list[MetricAlarm]:
    """Every metric alarm of the region (composite alarms watch no metric)."""
    account, region = aws_region.account_id, aws_region.region
    cw = aws_clients.client("cloudwatch", account, region)
    raw = paginate(
        cw,
        "describe_alarms",
        "MetricAlarms",
        "cloudwatch:DescribeAlarms",
        f"{account}/{region}",
        AlarmTypes=["MetricAlarm"],
    )
    return [
        MetricAlarm(
            account_id=account,
            region=region,
            name=a["AlarmName"],
            arn=a.get("AlarmArn")
            or f"arn:aws:cloudwatch:{region}:{account}:alarm:{a['AlarmName']}",
            namespace=a.get("Namespace") or "",
            metric=a.get("MetricName") or "",
            actions_enabled=bool(a.get("ActionsEnabled", True)),
            alarm_actions=list(a.get("AlarmActions") or []),
        )
        for a in raw
    ]


@resource(
    "aws_autoscaling_groups",
    scope="region",
    provider="aws",
    permissions=["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribePolicies"],
    resource_type="AWS::AutoScaling::AutoScalingGroup",
)
def aws_autoscaling_groups(
    aws_region: AwsRegion, aws_clients: AwsClients
) -> list[AutoScalingGroup]:
    """Every Auto Scaling group of the region with the names of its scaling policies."""
    account, region = aws_region.account_id, aws_region.region
    asg = aws_clients.client("autoscaling", account, region)
    where = f"{account}/{region}"
    groups = paginate(
        asg,
        "describe_auto_scaling_groups",
        "AutoScalingGroups",
        "autoscaling:DescribeAutoScalingGroups",
        where,
    )
    if not groups:
        return []
    policies = paginate(
        asg, "describe_policies", "ScalingPolicies", "autoscaling:DescribePolicies", where
    )
    by_group: dict[str, list[str]] = {}
    for p in policies:
        by_group.setdefault(p.get("AutoScalingGroupName", ""), []).append(p.get("PolicyName", ""))
    return [
        AutoScalingGroup(
            account_id=account,
            region=region,
            name=g["AutoScalingGroupName"],
            arn=g.get("AutoScalingGroupARN")
            or f"arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:"
            f"autoScalingGroupName/{g['AutoScalingGroupName']}",
            min_size=int(g.get("MinSize", 0)),
            max_size=int(g.get("MaxSize", 0)),
            scaling_policies=sorted(by_group.get(g["AutoScalingGroupName"], [])),
        )
        for g in groups
    ]
