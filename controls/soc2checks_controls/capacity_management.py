"""Capacity management: capacity is planned and monitored so the system stays available.

Managing and monitoring processing capacity and demand is A1.1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control, skip
from soc2checks_aws.models_lifecycle import AutoScalingGroup, MetricAlarm
from soc2checks_controls._documents import find_document, judge_document
from soc2checks_files.models import FilesRoot, PolicyDocument

capacity_management = control("capacity-management", criteria=["A1.1"])

# Checks for every provider sit side by side below, grouped by provider.

# --- aws ---


@capacity_management.check(
    "aws.cloudwatch.capacity-alarms",
    severity="medium",
    remediation=(
        "Create a CloudWatch alarm with an action (an SNS topic that pages someone) on the "
        "metric, or give the Auto Scaling group a scaling policy."
    ),
)
def aws_capacity_alarms(
    aws_cloudwatch_alarms: list[MetricAlarm],
    aws_autoscaling_groups: list[AutoScalingGroup],
    metrics: tuple[str, ...] = (),
) -> Iterator[Finding]:
    """The metrics the team lists have alarms that notify, and Auto Scaling groups scale.

    ``metrics`` lists ``Namespace:MetricName`` pairs (``AWS/RDS:FreeStorageSpace``,
    ``AWS/EC2:CPUUtilization``); each needs, in every region judged, an alarm with
    actions enabled and at least one alarm action. Each Auto Scaling group needs a
    scaling policy. A region with no listed metric and no group is skipped.
    """
    if not metrics and not aws_autoscaling_groups:
        skip("no capacity metrics listed (parameter 'metrics') and no Auto Scaling group")
    alerting = [a for a in aws_cloudwatch_alarms if a.actions_enabled and a.alarm_actions]
    for wanted in dict.fromkeys(metrics):
        namespace, _, metric = wanted.rpartition(":")
        if not namespace or not metric:
            raise ValueError(f"metric {wanted!r}: write Namespace:MetricName")
        found = [a for a in alerting if a.namespace == namespace and a.metric == metric]
        yield Finding(
            status=Status.PASS if found else Status.FAIL,
            resource_id=f"metric:{wanted}",
            resource_type="AWS::CloudWatch::Metric",
            message=f"{wanted} alarms via {', '.join(sorted(a.name for a in found))}"
            if found
            else f"no alarm with an action watches {wanted}",
        )
    for group in aws_autoscaling_groups:
        yield Finding(
            status=Status.PASS if group.scaling_policies else Status.FAIL,
            resource_id=group.resource_id,
            resource_type="AWS::AutoScaling::AutoScalingGroup",
            message=f"Auto Scaling group {group.name} scales by {', '.join(group.scaling_policies)}"
            if group.scaling_policies
            else f"Auto Scaling group {group.name} has no scaling policy",
        )


# --- files ---


@capacity_management.check(
    "files.policy.capacity-management",
    severity="medium",
    remediation=(
        "Keep policies/capacity-management.md (what is monitored, thresholds, who is "
        "alerted, how capacity is forecast); give owner, approved_by and last_reviewed."
    ),
)
def files_capacity_management(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    today: dt.date,
    max_age_days: int = 365,
) -> None:
    """An approved capacity-management procedure, reviewed within a year."""
    doc = find_document(
        files_policies, files_root, ("capacity-management",), "capacity-management procedure"
    )
    judge_document(doc, today, max_age_days=max_age_days)
