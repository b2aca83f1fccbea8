"""aws.cloudwatch.capacity-alarms (A1.1) and aws.s3.lifecycle-expiration (C1.2) on moto."""

from __future__ import annotations

from .conftest import REGION, AwsEnv, statuses


def _bucket(aws: AwsEnv, name: str, tags: dict[str, str] | None = None) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=name)
    if tags:
        s3.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
        )


def _expire(aws: AwsEnv, name: str, *, enabled: bool = True, days: int | None = 30) -> None:
    rule: dict[str, object] = {
        "ID": "retention",
        "Status": "Enabled" if enabled else "Disabled",
        "Filter": {"Prefix": ""},
    }
    if days is not None:
        rule["Expiration"] = {"Days": days}
    else:
        rule["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": 7}
    aws.client("s3").put_bucket_lifecycle_configuration(
        Bucket=name, LifecycleConfiguration={"Rules": [rule]}
    )


def test_lifecycle_expiration(aws: AwsEnv) -> None:
    _bucket(aws, "customer-exports", {"classification": "Confidential"})
    _expire(aws, "customer-exports")
    _bucket(aws, "hr-files", {"data-classification": "personal"})
    _expire(aws, "hr-files", enabled=False)
    _bucket(aws, "crm-dumps", {"classification": "pii"})
    _expire(aws, "crm-dumps", days=None)
    _bucket(aws, "payroll", {"classification": "restricted"})
    _bucket(aws, "website", {"classification": "public"})
    _bucket(aws, "untagged")
    aws.server.reset_counts()
    found = aws.verdicts("aws.s3.lifecycle-expiration")
    assert statuses(found) == {
        "customer-exports": "pass",
        "hr-files": "fail",  # the rule is disabled
        "crm-dumps": "fail",  # a rule, but it expires nothing
        "payroll": "fail",  # no lifecycle configuration at all
        "website": "skip",
        "untagged": "skip",
    }
    assert found["payroll"].message == (
        "bucket payroll (classification=restricted) has no enabled lifecycle rule that "
        "expires objects"
    )
    counts = aws.server.counts
    # one list, then exactly one tagging and one lifecycle call per bucket
    assert counts["s3:ListBuckets"] == 1
    assert counts["s3:GetBucketTagging"] == 6
    assert counts["s3:GetBucketLifecycle"] == 6  # the server names it so


def test_lifecycle_expiration_tag_values_are_parameters(aws: AwsEnv) -> None:
    _bucket(aws, "logs", {"sensitivity": "secret"})
    params = {
        "aws.s3.lifecycle-expiration": {"tag_keys": ["sensitivity"], "tag_values": ["secret"]}
    }
    assert statuses(aws.verdicts("aws.s3.lifecycle-expiration", params=params)) == {"logs": "fail"}


def test_lifecycle_fetch_denied_is_an_error(aws: AwsEnv) -> None:
    _bucket(aws, "customer-exports", {"classification": "confidential"})
    aws.server.inject_fault(
        "s3:GetBucketLifecycle", status=403, code="AccessDenied", message="denied"
    )
    (finding,) = aws.verdicts("aws.s3.lifecycle-expiration").values()
    assert finding.status.value == "error"
    assert "s3:GetLifecycleConfiguration" in finding.message


def _alarm(aws: AwsEnv, name: str, namespace: str, metric: str, actions: bool = True) -> None:
    topic = aws.client("sns").create_topic(Name="oncall")["TopicArn"]
    aws.client("cloudwatch").put_metric_alarm(
        AlarmName=name,
        Namespace=namespace,
        MetricName=metric,
        Statistic="Average",
        Period=300,
        EvaluationPeriods=1,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
        ActionsEnabled=True,
        AlarmActions=[topic] if actions else [],
    )


def _group(aws: AwsEnv, name: str, policy: bool) -> None:
    ec2 = aws.client("ec2")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    asg = aws.client("autoscaling")
    asg.create_launch_configuration(
        LaunchConfigurationName=f"{name}-lc", ImageId=image, InstanceType="t3.micro"
    )
    asg.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchConfigurationName=f"{name}-lc",
        MinSize=0,
        MaxSize=2,
        AvailabilityZones=[f"{REGION}a"],
    )
    if policy:
        asg.put_scaling_policy(
            AutoScalingGroupName=name,
            PolicyName="cpu-target",
            PolicyType="TargetTrackingScaling",
            TargetTrackingConfiguration={
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ASGAverageCPUUtilization"
                },
                "TargetValue": 60.0,
            },
        )


CAPACITY = "aws.cloudwatch.capacity-alarms"


def test_capacity_alarms(aws: AwsEnv) -> None:
    assert statuses(aws.verdicts(CAPACITY)) == {"region": "skip"}  # nothing listed, no group
    _alarm(aws, "db-storage", "AWS/RDS", "FreeStorageSpace")
    _alarm(aws, "cpu-silent", "AWS/EC2", "CPUUtilization", actions=False)
    _group(aws, "web", policy=True)
    _group(aws, "workers", policy=False)
    params = {CAPACITY: {"metrics": ["AWS/RDS:FreeStorageSpace", "AWS/EC2:CPUUtilization"]}}
    found = aws.verdicts(CAPACITY, params=params)
    assert statuses(found) == {
        "FreeStorageSpace": "pass",
        "CPUUtilization": "fail",  # its only alarm notifies no one
        "web": "pass",
        "workers": "fail",
    }
    assert (
        found["CPUUtilization"].message == "no alarm with an action watches AWS/EC2:CPUUtilization"
    )
    assert found["workers"].message == ("Auto Scaling group workers has no scaling policy")


def test_capacity_alarms_bad_metric_and_denied_fetch_are_errors(aws: AwsEnv) -> None:
    params = {CAPACITY: {"metrics": ["CPUUtilization"]}}
    (finding,) = aws.verdicts(CAPACITY, params=params).values()
    assert finding.status.value == "error" and "write Namespace:MetricName" in finding.message
    aws.server.inject_fault(
        "monitoring:DescribeAlarms", status=403, code="AccessDenied", message="no"
    )
    (finding,) = aws.verdicts(CAPACITY, params={CAPACITY: {"metrics": ["AWS/EC2:CPU"]}}).values()
    assert finding.status.value == "error" and "cloudwatch:DescribeAlarms" in finding.message
