"""EC2 fixtures, per region: EBS encryption by default, volumes, security groups."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
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
    return EbsEncryptionDefault(
        account_id=aws_region.account_id,
        region=aws_region.region,
        enabled=bool(answer.get("EbsEncryptionByDefault", False)),
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
    return [
        EbsVolume(
            account_id=aws_region.account_id,
            region=aws_region.region,
            volume_id=v["VolumeId"],
            encrypted=bool(v.get("Encrypted", False)),
            state=v.get("State", ""),
            size_gib=v.get("Size"),
            kms_key_id=v.get("KmsKeyId"),
            attached_to=[a["InstanceId"] for a in v.get("Attachments", []) if a.get("InstanceId")],
        )
        for v in raw
    ]


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
    return [
        SecurityGroup(
            account_id=aws_region.account_id,
            region=aws_region.region,
            group_id=g["GroupId"],
            group_name=g.get("GroupName", ""),
            vpc_id=g.get("VpcId"),
            ingress=_rules(g.get("IpPermissions", [])),
            egress=_rules(g.get("IpPermissionsEgress", [])),
        )
        for g in raw
    ]
