"""Encryption at rest: stored data is encrypted.

Encryption at rest protects data on disks, snapshots and backups from anyone who obtains
the media (CC6.1, C1.1).
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import (
    DbInstance,
    EbsEncryptionDefault,
    EbsVolume,
    S3BucketEncryption,
    raise_if_error,
)

encryption_at_rest = control("encryption-at-rest", criteria=["CC6.1", "C1.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@encryption_at_rest.check(
    "aws.s3.default-encryption",
    over="aws_s3_bucket_encryption",
    severity="medium",
    remediation=(
        "Configure default encryption on the bucket with an allowed algorithm (SSE-S3, or "
        "SSE-KMS with a customer-managed key): `aws s3api put-bucket-encryption`."
    ),
)
def aws_s3_default_encryption(
    bucket: S3BucketEncryption,
    allowed_algorithms: tuple[str, ...] = ("AES256", "aws:kms", "aws:kms:dsse"),
) -> None:
    """S3 buckets encrypt new objects by default with an algorithm in allowed_algorithms.

    Since January 2023 AWS encrypts every bucket with SSE-S3 (``AES256``) unless it
    is configured otherwise, and SSE-S3 passes by default. A company whose commitments
    require KMS keys sets ``allowed_algorithms = ["aws:kms", "aws:kms:dsse"]``. The
    algorithm and key are in the evidence.
    """
    raise_if_error(bucket)
    algorithms = bucket.algorithms
    keys = bucket.kms_key_ids
    assert algorithms, f"bucket {bucket.name} has no default encryption configured"
    refused = sorted(set(algorithms) - set(allowed_algorithms))
    assert not refused, (
        f"bucket {bucket.name} encrypts by default with {', '.join(refused)}, not one of "
        f"the allowed algorithms ({', '.join(allowed_algorithms)})"
    )
    del keys  # read so that the key lands in the evidence of a pass too


@encryption_at_rest.check(
    "aws.ec2.ebs-default-encryption",
    over="aws_ebs_encryption_default",
    severity="medium",
    remediation=(
        "Turn on EBS encryption by default in the region: `aws ec2 "
        "enable-ebs-encryption-by-default --region <region>`."
    ),
)
def aws_ebs_default_encryption(setting: EbsEncryptionDefault) -> None:
    """EBS encryption by default is on in every region."""
    assert setting.enabled, (
        f"EBS encryption by default is off in {setting.region} of account {setting.account_id}"
    )


@encryption_at_rest.check(
    "aws.ec2.ebs-volume-encrypted",
    over="aws_ebs_volumes",
    severity="medium",
    remediation=(
        "Snapshot the volume, copy the snapshot with encryption on, create a volume from "
        "it and swap it in; turn on EBS encryption by default to prevent new ones."
    ),
)
def aws_ebs_volume_encrypted(volume: EbsVolume) -> None:
    """EBS volumes are encrypted."""
    attached = f" attached to {', '.join(volume.attached_to)}" if volume.attached_to else ""
    assert volume.encrypted, (
        f"EBS volume {volume.volume_id} ({volume.region}){attached} is not encrypted"
    )


@encryption_at_rest.check(
    "aws.rds.storage-encrypted",
    over="aws_rds_instances",
    severity="high",
    remediation=(
        "Storage encryption cannot be turned on in place: snapshot the instance, copy the "
        "snapshot with encryption, and restore a new instance from it."
    ),
)
def aws_rds_storage_encrypted(db: DbInstance) -> None:
    """RDS DB instances have storage encryption on."""
    assert db.storage_encrypted, (
        f"DB instance {db.identifier} ({db.region}) does not encrypt its storage"
    )
