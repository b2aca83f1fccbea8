"""RDS fixtures, per region: DB instances."""

from __future__ import annotations

from soc2checks import resource
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
    return [
        DbInstance(
            account_id=aws_region.account_id,
            region=aws_region.region,
            identifier=d["DBInstanceIdentifier"],
            arn=d.get("DBInstanceArn")
            or f"arn:aws:rds:{aws_region.region}:{aws_region.account_id}:db:"
            f"{d['DBInstanceIdentifier']}",
            engine=d.get("Engine", ""),
            storage_encrypted=bool(d.get("StorageEncrypted", False)),
            publicly_accessible=bool(d.get("PubliclyAccessible", False)),
            backup_retention_days=int(d.get("BackupRetentionPeriod", 0) or 0),
            read_replica_source=d.get("ReadReplicaSourceDBInstanceIdentifier"),
            cluster_identifier=d.get("DBClusterIdentifier"),
        )
        for d in raw
    ]
