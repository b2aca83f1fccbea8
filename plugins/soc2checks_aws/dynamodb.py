"""DynamoDB fixtures, per region: tables with their point-in-time recovery status."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_aws._concurrency import bounded_map
from soc2checks_aws._parse import Answer
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import AwsError, call_required, translate
from soc2checks_aws.errors import paginate as _paginate
from soc2checks_aws.models import AwsRegion, DynamoTable


@resource(
    "aws_dynamodb_tables",
    scope="region",
    provider="aws",
    permissions=["dynamodb:ListTables", "dynamodb:DescribeContinuousBackups"],
    resource_type="AWS::DynamoDB::Table",
)
def aws_dynamodb_tables(aws_region: AwsRegion, aws_clients: AwsClients) -> list[DynamoTable]:
    """Every table of the region with its PITR status (one call per table)."""
    account, region = aws_region.account_id, aws_region.region
    ddb = aws_clients.client("dynamodb", account, region)
    names = _paginate(
        ddb, "list_tables", "TableNames", "dynamodb:ListTables", f"{account}/{region}"
    )

    def one(name: str) -> DynamoTable:
        arn = f"arn:aws:dynamodb:{region}:{account}:table/{name}"
        base: dict[str, Any] = {"account_id": account, "region": region, "name": name, "arn": arn}
        try:
            answer = call_required(
                ddb.describe_continuous_backups,
                "dynamodb:DescribeContinuousBackups",
                f"table {name}",
                TableName=name,
            )
        except AwsError as exc:
            return DynamoTable(**base, error=str(exc))
        except Exception as exc:
            err = translate(exc, "dynamodb:DescribeContinuousBackups", f"table {name}")
            return DynamoTable(**base, error=str(err))
        return DynamoTable(**base, **parse_continuous_backups(answer))

    return bounded_map(one, names, aws_clients.settings.max_workers)


def parse_continuous_backups(answer: Any) -> dict[str, Any]:
    """``DescribeContinuousBackups`` as model fields; no PITR status is missing data."""
    desc = (answer or {}).get("ContinuousBackupsDescription") or {}
    a = Answer(
        desc.get("PointInTimeRecoveryDescription"),
        "ContinuousBackupsDescription.PointInTimeRecoveryDescription.",
    )
    return {
        "pitr_status": a.text("pitr_status", "PointInTimeRecoveryStatus") or None,
        "missing_fields": a.missing,
    }
