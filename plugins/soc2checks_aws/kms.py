"""KMS fixtures, per region: keys with metadata and, where it applies, rotation status."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_aws._concurrency import bounded_map
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import AwsError, call_required, translate
from soc2checks_aws.errors import paginate as _paginate
from soc2checks_aws.models import AwsRegion, KmsKey


@resource(
    "aws_kms_keys",
    scope="region",
    provider="aws",
    permissions=["kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus"],
    resource_type="AWS::KMS::Key",
)
def aws_kms_keys(aws_region: AwsRegion, aws_clients: AwsClients) -> list[KmsKey]:
    """Every key of the region; rotation status is read only for keys rotation applies to."""
    account, region = aws_region.account_id, aws_region.region
    kms = aws_clients.client("kms", account, region)
    listed = _paginate(kms, "list_keys", "Keys", "kms:ListKeys", f"{account}/{region}")

    def one(entry: dict[str, Any]) -> KmsKey:
        key_id = entry["KeyId"]
        arn = entry.get("KeyArn") or f"arn:aws:kms:{region}:{account}:key/{key_id}"
        base: dict[str, Any] = {
            "account_id": account,
            "region": region,
            "key_id": key_id,
            "arn": arn,
        }
        action = "kms:DescribeKey"
        try:
            meta = call_required(kms.describe_key, action, f"key {arn}", KeyId=key_id)
            m = meta.get("KeyMetadata", {})
            key = KmsKey(
                **base,
                manager=m.get("KeyManager", ""),
                state=m.get("KeyState", ""),
                spec=m.get("KeySpec") or m.get("CustomerMasterKeySpec", ""),
                usage=m.get("KeyUsage") or "ENCRYPT_DECRYPT",
                origin=m.get("Origin", ""),
            )
            if not key.rotation_applies:
                return key
            action = "kms:GetKeyRotationStatus"
            status = call_required(kms.get_key_rotation_status, action, f"key {arn}", KeyId=key_id)
            return key.model_copy(
                update={"rotation_enabled": bool(status.get("KeyRotationEnabled", False))}
            )
        except AwsError as exc:
            return KmsKey(**base, error=str(exc))
        except Exception as exc:
            return KmsKey(**base, error=str(translate(exc, action, f"key {arn}")))

    return bounded_map(one, listed, aws_clients.settings.max_workers)
