"""Backups and recovery: data can be restored after loss.

Backups, versioning and point-in-time recovery are the recovery infrastructure A1.2 asks
for.
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import (
    DbInstance,
    DynamoTable,
    S3BucketVersioning,
    raise_if_error,
)
from soc2checks_azure.models import BlobSoftDelete, KeyVault
from soc2checks_gcp.models import Bucket, SqlInstance

backup_and_recovery = control("backup-and-recovery", criteria=["A1.2", "CC9.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@backup_and_recovery.check(
    "aws.s3.versioning",
    over="aws_s3_bucket_versioning",
    severity="medium",
    remediation=(
        "Enable versioning on the bucket (`aws s3api put-bucket-versioning "
        "--versioning-configuration Status=Enabled`) and add lifecycle rules for old "
        "versions."
    ),
)
def aws_s3_versioning(bucket: S3BucketVersioning) -> None:
    """S3 buckets have versioning enabled."""
    raise_if_error(bucket)
    state = (bucket.status or "never enabled").lower()
    assert bucket.status == "Enabled", f"bucket {bucket.name} has versioning {state}"


@backup_and_recovery.check(
    "aws.rds.backups",
    over="aws_rds_instances",
    severity="high",
    remediation=(
        "Set the instance's backup retention period to at least the required days "
        "(`aws rds modify-db-instance --backup-retention-period 7 --apply-immediately`)."
    ),
)
def aws_rds_backups(db: DbInstance, min_days: int = 7) -> None:
    """RDS DB instances keep automated backups for at least min_days.

    Read replicas do not apply: their source instance's backups are judged.
    """
    from soc2checks import skip

    if db.read_replica_source:
        skip(f"DB instance {db.identifier} is a read replica of {db.read_replica_source}")
    assert db.backup_retention_days >= min_days, (
        f"DB instance {db.identifier} ({db.region}) keeps automated backups for "
        f"{db.backup_retention_days} days (minimum {min_days})"
    )


@backup_and_recovery.check(
    "aws.dynamodb.pitr",
    over="aws_dynamodb_tables",
    severity="medium",
    remediation=(
        "Turn on point-in-time recovery: `aws dynamodb update-continuous-backups "
        "--table-name <table> --point-in-time-recovery-specification "
        "PointInTimeRecoveryEnabled=true`."
    ),
)
def aws_dynamodb_pitr(table: DynamoTable) -> None:
    """DynamoDB tables have point-in-time recovery on."""
    raise_if_error(table)
    assert table.pitr_status == "ENABLED", (
        f"DynamoDB table {table.name} ({table.region}) has point-in-time recovery "
        f"{(table.pitr_status or 'off').lower()}"
    )


# --- gcp ---


@backup_and_recovery.check(
    "gcp.storage.versioning",
    over="gcp_buckets",
    severity="medium",
    remediation=(
        "Turn on object versioning (gcloud storage buckets update gs://BUCKET --versioning) "
        "or set a retention policy, so deleted or overwritten objects can be recovered."
    ),
)
def gcp_bucket_versioning(bucket: Bucket) -> None:
    """Buckets keep object versions, or hold a retention policy."""
    assert bucket.versioning or bucket.retention_seconds, (
        f"bucket {bucket.name} has neither versioning nor a retention policy"
    )


@backup_and_recovery.check(
    "gcp.sql.backups",
    over="gcp_sql_instances",
    severity="high",
    remediation="Enable automated backups (and point-in-time recovery) on the Cloud SQL instance.",
)
def gcp_sql_backups(instance: SqlInstance) -> None:
    """Cloud SQL primary instances take automated backups (read replicas skip)."""
    if instance.is_replica:
        skip(f"{instance.name} is a read replica")
    if instance.backups_enabled is None:
        raise LookupError(f"Google did not return backupConfiguration for {instance.name}")
    assert instance.backups_enabled, f"Cloud SQL instance {instance.name} has no automated backups"


# --- azure ---


@backup_and_recovery.check(
    "azure.storage.soft-delete",
    over="azure_blob_soft_delete",
    severity="medium",
    remediation="Enable blob soft delete with a retention of at least min_days days.",
)
def azure_blob_soft_delete(service: BlobSoftDelete, min_days: int = 7) -> None:
    """Blob soft delete is on with at least min_days (7) of retention."""
    if service.enabled is None:
        raise LookupError(f"Azure did not return deleteRetentionPolicy for {service.account}")
    assert service.enabled, f"storage account {service.account} has blob soft delete off"
    assert service.days is not None and service.days >= min_days, (
        f"storage account {service.account} keeps deleted blobs {service.days} days "
        f"(minimum {min_days})"
    )


@backup_and_recovery.check(
    "azure.keyvault.purge-protection",
    over="azure_key_vaults",
    severity="high",
    remediation="Enable soft delete and purge protection on the key vault (cannot be turned off).",
)
def azure_vault_purge_protection(vault: KeyVault) -> None:
    """Key vaults have soft delete and purge protection on."""
    assert vault.soft_delete is not False, f"key vault {vault.name} has soft delete off"
    assert vault.purge_protection, f"key vault {vault.name} has purge protection off"
