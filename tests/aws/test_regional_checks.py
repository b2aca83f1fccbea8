"""EC2, RDS, DynamoDB, KMS, CloudTrail, Config, GuardDuty, Security Hub and Logs checks."""

from __future__ import annotations

from typing import Any

from soc2checks import Status

from .conftest import ACCOUNT, REGION, AwsEnv, statuses

WORLD_V4 = [{"CidrIp": "0.0.0.0/0"}]
WORLD_V6 = [{"CidrIpv6": "::/0"}]


# -- EC2 ----------------------------------------------------------------------------


def test_ebs_default_encryption_per_region(aws: AwsEnv) -> None:
    aws.client("ec2", "eu-west-1").enable_ebs_encryption_by_default()
    result = aws.run(
        "aws.ec2.ebs-default-encryption", options={"aws_regions": [REGION, "eu-west-1"]}
    )
    got = {f.scope["region"]: f.status.value for f in result.findings}
    assert got == {REGION: "fail", "eu-west-1": "pass"}
    fail = next(f for f in result.findings if f.status.value == "fail")
    assert fail.message == f"EBS encryption by default is off in {REGION} of account {ACCOUNT}"
    assert fail.scope == {"account": ACCOUNT, "region": REGION}
    # N/A: regions outside the configured ones are not judged
    assert {f.scope["region"] for f in aws.run("aws.ec2.ebs-default-encryption").findings} == {
        REGION
    }


def test_ebs_volume_encrypted(aws: AwsEnv) -> None:
    assert aws.verdicts("aws.ec2.ebs-volume-encrypted") == {}  # no volume: nothing applies
    ec2 = aws.client("ec2")
    good = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, Encrypted=True)["VolumeId"]
    bad = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    found = aws.verdicts("aws.ec2.ebs-volume-encrypted")
    assert statuses(found) == {good: "pass", bad: "fail"}
    assert found[bad].message == f"EBS volume {bad} ({REGION}) is not encrypted"


def _group(aws: AwsEnv, name: str, *permissions: dict[str, Any]) -> str:
    ec2 = aws.client("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    gid: str = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    if permissions:
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=list(permissions))
    return gid


def test_sg_admin_ports_closed(aws: AwsEnv) -> None:
    ssh_world = _group(
        aws, "ssh-world", {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": WORLD_V4}
    )
    ssh_office = _group(
        aws,
        "ssh-office",
        {
            "IpProtocol": "tcp",
            "FromPort": 22,
            "ToPort": 22,
            "IpRanges": [{"CidrIp": "203.0.113.0/24"}],
        },
    )
    wide_range = _group(
        aws, "wide", {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "IpRanges": WORLD_V4}
    )
    all_v6 = _group(aws, "all-v6", {"IpProtocol": "-1", "Ipv6Ranges": WORLD_V6})
    https = _group(
        aws,
        "https",
        {
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "IpRanges": WORLD_V4,
            "Ipv6Ranges": WORLD_V6,
        },
    )
    rdp = _group(
        aws, "rdp", {"IpProtocol": "tcp", "FromPort": 3380, "ToPort": 3390, "IpRanges": WORLD_V4}
    )
    found = aws.verdicts("aws.ec2.sg-admin-ports-closed")
    assert {k: v for k, v in statuses(found).items() if k != _default_group(aws)} == {
        ssh_world: "fail",
        ssh_office: "pass",
        wide_range: "fail",
        all_v6: "fail",
        https: "pass",
        rdp: "fail",
    }
    assert found[ssh_world].message == (
        f"security group {ssh_world} (ssh-world, {REGION}) allows SSH (22) from 0.0.0.0/0"
    )
    assert "RDP (3389) from ::/0; SSH (22) from ::/0" in found[all_v6].message
    assert "SSH" not in found[rdp].message


def _default_group(aws: AwsEnv) -> str:
    groups = aws.client("ec2").describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    gid: str = groups[0]["GroupId"]
    return gid


def test_default_sg_closed(aws: AwsEnv) -> None:
    other = _group(aws, "app")
    default = _default_group(aws)
    found = aws.verdicts("aws.ec2.default-sg-closed")
    assert statuses(found) == {default: "fail", other: "skip"}
    assert "has 1 outbound rule(s)" in found[default].message
    ec2 = aws.client("ec2")
    egress = ec2.describe_security_groups(GroupIds=[default])["SecurityGroups"][0][
        "IpPermissionsEgress"
    ]
    ec2.revoke_security_group_egress(GroupId=default, IpPermissions=egress)
    assert aws.verdicts("aws.ec2.default-sg-closed")[default].status.value == "pass"


# -- RDS ----------------------------------------------------------------------------


def _db(aws: AwsEnv, name: str, **kwargs: Any) -> None:
    aws.client("rds").create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="admin1",
        MasterUserPassword="password-123456",
        AllocatedStorage=20,
        **kwargs,
    )


def test_rds_checks(aws: AwsEnv) -> None:
    assert aws.run("aws.rds.*").findings == []  # no instance: nothing applies
    _db(aws, "good", StorageEncrypted=True, BackupRetentionPeriod=7, PubliclyAccessible=False)
    _db(aws, "bad", StorageEncrypted=False, BackupRetentionPeriod=1, PubliclyAccessible=True)
    aws.client("rds").create_db_instance_read_replica(
        DBInstanceIdentifier="good-replica", SourceDBInstanceIdentifier="good"
    )
    enc = aws.verdicts("aws.rds.storage-encrypted")
    assert enc["good"].status.value == "pass" and enc["bad"].status.value == "fail"
    assert enc["bad"].message == f"DB instance bad ({REGION}) does not encrypt its storage"
    pub = aws.verdicts("aws.rds.not-public")
    assert pub["good"].status.value == "pass" and pub["bad"].status.value == "fail"
    assert pub["bad"].criteria == ("CC6.6", "C1.1")
    backups = aws.verdicts("aws.rds.backups")
    assert statuses(backups) == {"good": "pass", "bad": "fail", "good-replica": "skip"}
    assert "for 1 days (minimum 7)" in backups["bad"].message
    backups = aws.verdicts("aws.rds.backups", params={"aws.rds.backups": {"min_days": 14}})
    assert backups["good"].status.value == "fail"


# -- DynamoDB, KMS -------------------------------------------------------------------


def test_dynamodb_pitr(aws: AwsEnv) -> None:
    assert aws.verdicts("aws.dynamodb.pitr") == {}
    ddb = aws.client("dynamodb")
    for name in ("orders", "cache"):
        ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    ddb.update_continuous_backups(
        TableName="orders", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    found = aws.verdicts("aws.dynamodb.pitr")
    assert statuses(found) == {"orders": "pass", "cache": "fail"}
    assert (
        found["cache"].message
        == f"DynamoDB table cache ({REGION}) has point-in-time recovery disabled"
    )


def test_kms_key_rotation(aws: AwsEnv) -> None:
    kms = aws.client("kms")

    def key(**kw: Any) -> str:
        kw.setdefault("KeyUsage", "ENCRYPT_DECRYPT")  # as AWS always reports it
        kid: str = kms.create_key(**kw)["KeyMetadata"]["KeyId"]
        return kid

    rotated = key()
    kms.enable_key_rotation(KeyId=rotated)
    plain = key()
    disabled = key()
    kms.disable_key(KeyId=disabled)
    signing = key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    # moto leaves KeyUsage out of DescribeKey when it was not given: missing data
    unknown = kms.create_key()["KeyMetadata"]["KeyId"]
    found = aws.verdicts("aws.kms.key-rotation")
    assert statuses(found) == {
        rotated: "pass",
        plain: "fail",
        disabled: "skip",
        signing: "skip",
        unknown: "error",
    }
    assert found[disabled].message == f"KMS key {disabled} is Disabled"
    assert "does not support automatic rotation" in found[signing].message
    assert found[unknown].message == (
        f"AWS did not return KeyMetadata.KeyUsage for {found[unknown].resource_id}: cannot judge"
    )
    aws.server.reset_counts()
    aws.run("aws.kms.key-rotation")
    # rotation status is asked only for the two keys it applies to
    assert aws.server.counts["kms:GetKeyRotationStatus"] == 2
    assert aws.server.counts["kms:DescribeKey"] == 5


# -- CloudTrail ---------------------------------------------------------------------


def _bucket(aws: AwsEnv) -> str:
    aws.client("s3").create_bucket(Bucket="trail-logs")
    return "trail-logs"


def test_cloudtrail_multi_region(aws: AwsEnv) -> None:
    found = aws.verdicts("aws.cloudtrail.multi-region")
    assert statuses(found) == {"account": "fail"}
    assert found["account"].message == f"account {ACCOUNT} has no multi-region trail"
    ct = aws.client("cloudtrail")
    ct.create_trail(Name="regional", S3BucketName=_bucket(aws))
    ct.start_logging(Name="regional")
    ct.create_trail(Name="main", S3BucketName="trail-logs", IsMultiRegionTrail=True)
    found = aws.verdicts("aws.cloudtrail.multi-region")
    assert found["account"].message.endswith("main is not logging")
    ct.start_logging(Name="main")
    ct.put_event_selectors(
        TrailName="main",
        EventSelectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}],
    )
    found = aws.verdicts("aws.cloudtrail.multi-region")
    assert found["account"].message.endswith("main logs only WriteOnly management events")
    ct.put_event_selectors(
        TrailName="main", EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}]
    )
    assert statuses(aws.verdicts("aws.cloudtrail.multi-region")) == {"account": "pass"}


def test_cloudtrail_without_event_selectors_logs_all_management_events(aws: AwsEnv) -> None:
    """AWS: a trail created without event selectors logs all read and write management
    events; moto answers GetEventSelectors with empty lists for exactly that trail."""
    ct = aws.client("cloudtrail")
    ct.create_trail(Name="main", S3BucketName=_bucket(aws), IsMultiRegionTrail=True)
    ct.start_logging(Name="main")
    assert ct.get_event_selectors(TrailName="main")["EventSelectors"] == []
    [f] = aws.run("aws.cloudtrail.multi-region").findings
    assert f.status == Status.PASS, f.message


def test_cloudtrail_reads_every_event_selector(aws: AwsEnv) -> None:
    ct = aws.client("cloudtrail")
    ct.create_trail(Name="main", S3BucketName=_bucket(aws), IsMultiRegionTrail=True)
    ct.start_logging(Name="main")
    # the first selector keeps only data events; reads and writes come in two others
    ct.put_event_selectors(
        TrailName="main",
        EventSelectors=[
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": False,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
            },
            {"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True},
            {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True},
        ],
    )
    assert statuses(aws.verdicts("aws.cloudtrail.multi-region")) == {"account": "pass"}
    ct.put_event_selectors(
        TrailName="main",
        EventSelectors=[
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": True,
                "ExcludeManagementEventSources": ["kms.amazonaws.com"],
            }
        ],
    )
    [f] = aws.run("aws.cloudtrail.multi-region").findings
    assert f.status == Status.FAIL
    assert "main logs only part of the management events (excludes kms.amazonaws.com)" in (
        f.message
    )


def test_cloudtrail_advanced_selector_read_only_is_not_all(aws: AwsEnv) -> None:
    ct = aws.client("cloudtrail")
    ct.create_trail(Name="main", S3BucketName=_bucket(aws), IsMultiRegionTrail=True)
    ct.start_logging(Name="main")
    ct.put_event_selectors(
        TrailName="main",
        AdvancedEventSelectors=[
            {
                "Name": "reads",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Management"]},
                    {"Field": "readOnly", "Equals": ["true"]},
                ],
            },
        ],
    )
    [f] = aws.run("aws.cloudtrail.multi-region").findings
    assert f.status == Status.FAIL and "logs only ReadOnly management events" in f.message
    ct.put_event_selectors(
        TrailName="main",
        AdvancedEventSelectors=[
            {
                "Name": "reads",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Management"]},
                    {"Field": "readOnly", "Equals": ["true"]},
                ],
            },
            {
                "Name": "writes",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Management"]},
                    {"Field": "readOnly", "Equals": ["false"]},
                ],
            },
        ],
    )
    assert statuses(aws.verdicts("aws.cloudtrail.multi-region")) == {"account": "pass"}


def test_cloudtrail_multi_region_advanced_selectors(aws: AwsEnv) -> None:
    ct = aws.client("cloudtrail")
    ct.create_trail(Name="main", S3BucketName=_bucket(aws), IsMultiRegionTrail=True)
    ct.start_logging(Name="main")
    ct.put_event_selectors(
        TrailName="main",
        AdvancedEventSelectors=[
            {
                "Name": "mgmt",
                "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}],
            }
        ],
    )
    assert statuses(aws.verdicts("aws.cloudtrail.multi-region")) == {"account": "pass"}


def test_cloudtrail_trail_checks(aws: AwsEnv) -> None:
    assert aws.run("aws.cloudtrail.log-validation", "aws.cloudtrail.encrypted").findings == []
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    ct = aws.client("cloudtrail")
    ct.create_trail(
        Name="good", S3BucketName=_bucket(aws), EnableLogFileValidation=True, KmsKeyId=key
    )
    ct.create_trail(Name="bare", S3BucketName="trail-logs")
    # a multi-region trail homed elsewhere is seen once, from every region it covers
    aws.client("cloudtrail", "eu-west-1").create_trail(
        Name="eu-trail",
        S3BucketName="trail-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )
    validation = aws.verdicts(
        "aws.cloudtrail.log-validation", options={"aws_regions": [REGION, "eu-west-1"]}
    )
    assert statuses(validation) == {"good": "pass", "bare": "fail", "eu-trail": "pass"}
    assert validation["bare"].message == f"trail bare ({REGION}) has log file validation off"
    encrypted = aws.verdicts(
        "aws.cloudtrail.encrypted", options={"aws_regions": [REGION, "eu-west-1"]}
    )
    assert statuses(encrypted) == {"good": "pass", "bare": "fail", "eu-trail": "fail"}


# -- Config, GuardDuty, Security Hub, Logs -------------------------------------------


def test_config_recorder(aws: AwsEnv) -> None:
    found = aws.verdicts("aws.config.recorder")
    assert statuses(found) == {"configuration-recorders": "fail"}
    assert (
        found["configuration-recorders"].message
        == f"no AWS Config recorder in {REGION} of account {ACCOUNT}"
    )
    cfg = aws.client("config")
    cfg.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
            "recordingGroup": {"allSupported": True},
        }
    )
    found = aws.verdicts("aws.config.recorder")
    assert found["configuration-recorders"].message.endswith("default is not recording")
    aws.client("s3").create_bucket(Bucket="config-bucket")
    cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-bucket"})
    cfg.start_configuration_recorder(ConfigurationRecorderName="default")
    assert statuses(aws.verdicts("aws.config.recorder")) == {"configuration-recorders": "pass"}


def _recorder(aws: AwsEnv, group: dict[str, Any], *, channel: bool = True) -> Any:
    cfg = aws.client("config")
    cfg.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
            "recordingGroup": group,
        }
    )
    if channel:
        aws.client("s3").create_bucket(Bucket="config-bucket")
        cfg.put_delivery_channel(
            DeliveryChannel={"name": "default", "s3BucketName": "config-bucket"}
        )
    cfg.start_configuration_recorder(ConfigurationRecorderName="default")
    return cfg


def test_config_recorder_without_delivery_channel_fails(aws: AwsEnv) -> None:
    from moto.config.models import config_backends

    _recorder(aws, {"allSupported": True})
    # the API refuses to start a recorder without a channel or to delete a running
    # recorder's channel, so this state is set on moto's backend
    config_backends[ACCOUNT][REGION].delivery_channels.clear()
    [f] = aws.run("aws.config.recorder").findings
    assert f.status == Status.FAIL
    assert f.message.endswith("default has no delivery channel to deliver to")
    assert f.evidence["delivery_channels"] == []


def test_config_recorder_must_record_all_supported_types(aws: AwsEnv) -> None:
    _recorder(
        aws,
        {
            "allSupported": False,
            "resourceTypes": ["AWS::S3::Bucket"],
            "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"},
        },
    )
    [f] = aws.run("aws.config.recorder").findings
    assert f.status == Status.FAIL
    assert "records only listed resource types (AWS::S3::Bucket)" in f.message


def test_config_recorder_exclusions_must_be_documented(aws: AwsEnv) -> None:
    _recorder(
        aws,
        {
            "allSupported": False,
            "exclusionByResourceTypes": {"resourceTypes": ["AWS::EC2::NetworkInterface"]},
            "recordingStrategy": {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
        },
    )
    [f] = aws.run("aws.config.recorder").findings
    assert f.status == Status.FAIL
    assert "not in the exclusions parameter: AWS::EC2::NetworkInterface" in f.message
    params = {"aws.config.recorder": {"exclusions": ["AWS::EC2::NetworkInterface"]}}
    [ok] = aws.run("aws.config.recorder", params=params).findings
    assert ok.status == Status.PASS


def test_config_recorder_last_status_failure_fails(aws: AwsEnv) -> None:
    from moto.config.models import config_backends

    _recorder(aws, {"allSupported": True})
    assert aws.run("aws.config.recorder").findings[0].status == Status.PASS
    # AWS reports a failed delivery as lastStatus FAILURE; moto cannot produce one
    status = config_backends[ACCOUNT][REGION].recorders["default"].status
    status.last_status = "FAILURE"
    status.last_error_code = "AccessDenied"
    status.last_error_message = "Config cannot write to config-bucket"
    [f] = aws.run("aws.config.recorder").findings
    assert f.status == Status.FAIL
    assert "default last failed (AccessDenied: Config cannot write to config-bucket)" in f.message


def test_guardduty_enabled(aws: AwsEnv) -> None:
    found = aws.verdicts("aws.guardduty.enabled")
    assert (
        found["detectors"].message
        == f"GuardDuty is not enabled in {REGION} of account {ACCOUNT} (no detector)"
    )
    gd = aws.client("guardduty")
    detector = gd.create_detector(Enable=False)["DetectorId"]
    assert aws.verdicts("aws.guardduty.enabled")["detectors"].message.endswith("is disabled")
    gd.update_detector(DetectorId=detector, Enable=True)
    assert statuses(aws.verdicts("aws.guardduty.enabled")) == {"detectors": "pass"}


def test_securityhub_enabled(aws: AwsEnv) -> None:
    found = aws.run("aws.securityhub.enabled").findings
    assert [f.status.value for f in found] == ["fail"]
    assert found[0].message == f"Security Hub is not enabled in {REGION} of account {ACCOUNT}"
    aws.client("securityhub").enable_security_hub()
    found = aws.run("aws.securityhub.enabled").findings
    assert [f.status.value for f in found] == ["pass"]


def test_logs_retention(aws: AwsEnv) -> None:
    assert aws.verdicts("aws.logs.retention") == {}
    logs = aws.client("logs")
    for name, days in (("/app/api", 400), ("/app/worker", 30), ("/app/forever", None)):
        logs.create_log_group(logGroupName=name)
        if days:
            logs.put_retention_policy(logGroupName=name, retentionInDays=days)
    found = aws.verdicts("aws.logs.retention", key=lambda rid: rid.split("log-group:")[1])
    assert statuses(found) == {"/app/api": "pass", "/app/worker": "fail", "/app/forever": "pass"}
    assert (
        found["/app/worker"].message
        == f"log group /app/worker ({REGION}) keeps events for 30 days (minimum 365)"
    )
    found = aws.verdicts(
        "aws.logs.retention",
        key=lambda rid: rid.split("log-group:")[1],
        params={"aws.logs.retention": {"min_days": 500}},
    )
    assert found["/app/api"].status.value == "fail"
