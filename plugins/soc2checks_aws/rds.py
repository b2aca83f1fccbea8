"""RDS fixtures, per region: DB instances."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_aws._parse import Answer
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import paginate as _paginate
from soc2checks_aws.models import AwsRegion, DbInstance


@resource(
    "aws_rds_instances",
    scope="region",
    provider="aws",
    permissions=["rds:DescribeDBInstances"],
    resource_type="AWS::RDS::DBInstance",
)
def aws_rds_instances(aws_region: AwsRegion, aws_clients: AwsClients) -> list[DbInstance]:
    """Every DB instance of the region (one paginated call)."""
    rds = aws_clients.client("rds", aws_region.account_id, aws_region.region)
    raw = _paginate(
        rds,
        "describe_db_instances",
        "DBInstances",
        "rds:DescribeDBInstances",
        f"{aws_region.account_id}/{aws_region.region}",
    )
    return [parse_db_instance(aws_region, d) for d in raw]


def parse_db_instance(region: AwsRegion, d: dict[str, Any]) -> DbInstance:
    """One ``DescribeDBInstances`` entry; each judged field must be in the answer."""
    a = Answer(d)
    ident = d["DBInstanceIdentifier"]
    return DbInstance(
        account_id=region.account_id,
        region=region.region,
        identifier=ident,
        arn=d.get("DBInstanceArn") or f"arn:aws:rds:{region.region}:{region.account_id}:db:{ident}",
        engine=d.get("Engine", ""),
        storage_encrypted=a.flag("storage_encrypted", "StorageEncrypted"),
        publicly_accessible=a.flag("publicly_accessible", "PubliclyAccessible"),
        backup_retention_days=a.integer("backup_retention_days", "BackupRetentionPeriod"),
        read_replica_source=d.get("ReadReplicaSourceDBInstanceIdentifier"),
        cluster_identifier=d.get("DBClusterIdentifier"),
        missing_fields=a.missing,
    )
