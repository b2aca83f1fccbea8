"""EC2 fixtures, per region: EBS encryption by default, volumes, security groups."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_aws._parse import Answer
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import call_required
from soc2checks_aws.errors import paginate as _paginate
from soc2checks_aws.models import (
    AwsRegion,
    EbsEncryptionDefault,
    EbsVolume,
    IngressRule,
    SecurityGroup,
)


@resource(
    "aws_ebs_encryption_default",
    scope="region",
    provider="aws",
    permissions=["ec2:GetEbsEncryptionByDefault"],
    resource_type="AWS::EC2::EBSEncryptionByDefault",
)
def aws_ebs_encryption_default(
    aws_region: AwsRegion, aws_clients: AwsClients
) -> EbsEncryptionDefault:
    """Whether new EBS volumes of the region are encrypted by default."""
    ec2 = aws_clients.client("ec2", aws_region.account_id, aws_region.region)
    answer = call_required(
        ec2.get_ebs_encryption_by_default,
        "ec2:GetEbsEncryptionByDefault",
        f"{aws_region.account_id}/{aws_region.region}",
    )
    return parse_ebs_encryption_default(aws_region, answer)


def parse_ebs_encryption_default(region: AwsRegion, answer: Any) -> EbsEncryptionDefault:
    """``GetEbsEncryptionByDefault``; an answer without the flag is missing data."""
    a = Answer(answer)
    return EbsEncryptionDefault(
        account_id=region.account_id,
        region=region.region,
        enabled=a.flag("enabled", "EbsEncryptionByDefault"),
        missing_fields=a.missing,
    )


@resource(
    "aws_ebs_volumes",
    scope="region",
    provider="aws",
    permissions=["ec2:DescribeVolumes"],
    resource_type="AWS::EC2::Volume",
)
def aws_ebs_volumes(aws_region: AwsRegion, aws_clients: AwsClients) -> list[EbsVolume]:
    """Every EBS volume of the region."""
    ec2 = aws_clients.client("ec2", aws_region.account_id, aws_region.region)
    raw = _paginate(
        ec2,
        "describe_volumes",
        "Volumes",
        "ec2:DescribeVolumes",
        f"{aws_region.account_id}/{aws_region.region}",
    )
    return [parse_volume(aws_region, v) for v in raw]


def parse_volume(region: AwsRegion, v: dict[str, Any]) -> EbsVolume:
    """One ``DescribeVolumes`` entry; a volume without ``Encrypted`` is missing data."""
    a = Answer(v)
    return EbsVolume(
        account_id=region.account_id,
        region=region.region,
        volume_id=v["VolumeId"],
        encrypted=a.flag("encrypted", "Encrypted"),
        state=v.get("State", ""),
        size_gib=v.get("Size"),
        kms_key_id=v.get("KmsKeyId"),
        attached_to=[x["InstanceId"] for x in v.get("Attachments", []) if x.get("InstanceId")],
        missing_fields=a.missing,
    )


def _rules(perms: list[dict[str, Any]]) -> list[IngressRule]:
    rules: list[IngressRule] = []
    for p in perms:
        rules.append(
            IngressRule(
                protocol=str(p.get("IpProtocol", "-1")),
                from_port=p.get("FromPort"),
                to_port=p.get("ToPort"),
                ipv4_ranges=[r["CidrIp"] for r in p.get("IpRanges", []) if "CidrIp" in r],
                ipv6_ranges=[r["CidrIpv6"] for r in p.get("Ipv6Ranges", []) if "CidrIpv6" in r],
                prefix_lists=[
                    r["PrefixListId"] for r in p.get("PrefixListIds", []) if "PrefixListId" in r
                ],
                security_groups=[
                    r["GroupId"] for r in p.get("UserIdGroupPairs", []) if "GroupId" in r
                ],
            )
        )
    return rules


@resource(
    "aws_security_groups",
    scope="region",
    provider="aws",
    permissions=["ec2:DescribeSecurityGroups"],
    resource_type="AWS::EC2::SecurityGroup",
)
def aws_security_groups(aws_region: AwsRegion, aws_clients: AwsClients) -> list[SecurityGroup]:
    """Every security group of the region with its ingress and egress rules."""
    ec2 = aws_clients.client("ec2", aws_region.account_id, aws_region.region)
    raw = _paginate(
        ec2,
        "describe_security_groups",
        "SecurityGroups",
        "ec2:DescribeSecurityGroups",
        f"{aws_region.account_id}/{aws_region.region}",
    )
    return [parse_security_group(aws_region, g) for g in raw]


def parse_security_group(region: AwsRegion, g: dict[str, Any]) -> SecurityGroup:
    """One ``DescribeSecurityGroups`` entry; its rule lists and names must be there."""
    a = Answer(g)
    return SecurityGroup(
        account_id=region.account_id,
        region=region.region,
        group_id=g["GroupId"],
        group_name=a.text("group_name", "GroupName"),
        vpc_id=g.get("VpcId"),
        ingress=_rules(a.items("ingress", "IpPermissions")),
        egress=_rules(a.items("egress", "IpPermissionsEgress")),
        missing_fields=a.missing,
    )
