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
from soc2checks_azure.models import ManagedDisk, SqlDatabase, StorageAccount

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


# --- azure ---

_AZURE_CMK_DISK_TYPES = (
    "EncryptionAtRestWithCustomerKey",
    "EncryptionAtRestWithPlatformAndCustomerKeys",
)


@encryption_at_rest.check(
    "azure.storage.infrastructure-encryption",
    over="azure_storage_accounts",
    severity="low",
    remediation=(
        "Create storage accounts with infrastructure encryption (double encryption), or use "
        "customer-managed keys where require_cmk is set."
    ),
)
def azure_storage_infrastructure_encryption(
    account: StorageAccount, require_cmk: bool = False
) -> None:
    """Storage accounts use infrastructure (double) encryption, or customer-managed keys
    when ``require_cmk``. Every account is encrypted with platform keys; this asks for more."""
    if require_cmk:
        if account.key_source is None:
            raise LookupError(f"Azure did not return encryption.keySource for {account.name}")
        assert account.key_source == "Microsoft.Keyvault", (
            f"storage account {account.name} uses {account.key_source}, not customer-managed keys"
        )
        return
    if account.infrastructure_encryption is None:
        raise LookupError(f"Azure did not return encryption for {account.name}")
    assert account.infrastructure_encryption, (
        f"storage account {account.name} has no infrastructure encryption"
    )


@encryption_at_rest.check(
    "azure.sql.tde",
    over="azure_sql_databases",
    severity="high",
    remediation="Enable transparent data encryption on the database.",
)
def azure_sql_tde(database: SqlDatabase) -> None:
    """SQL databases (not master) have transparent data encryption on."""
    if database.tde_state is None:
        raise LookupError(f"Azure did not return the TDE state of {database.name}")
    assert database.tde_state.lower() == "enabled", (
        f"database {database.name} on {database.server} has TDE {database.tde_state}"
    )


@encryption_at_rest.check(
    "azure.compute.disk-encryption",
    over="azure_disks",
    severity="medium",
    remediation=(
        "Encrypt the disk with a disk encryption set (customer-managed keys) where require_cmk "
        "is set; a customer-key encryption type must reference a disk encryption set."
    ),
)
def azure_disk_encryption(disk: ManagedDisk, require_cmk: bool = False) -> None:
    """Managed disks are encrypted at rest: platform keys pass unless ``require_cmk``; a
    customer-key type must reference a disk encryption set."""
    if disk.encryption_type is None:
        raise LookupError(f"Azure did not return the encryption type of disk {disk.name}")
    if disk.encryption_type in _AZURE_CMK_DISK_TYPES:
        assert disk.disk_encryption_set, (
            f"disk {disk.name} is {disk.encryption_type} but references no disk encryption set"
        )
        return
    assert not require_cmk, (
        f"disk {disk.name} uses {disk.encryption_type}; require_cmk asks for customer-managed keys"
    )
