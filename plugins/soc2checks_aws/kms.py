"""KMS fixtures, per region: keys with metadata and, where it applies, rotation status."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_aws._concurrency import bounded_map
from soc2checks_aws._parse import Answer
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
            key = parse_key_metadata(base, meta)
            if key.missing_fields or not key.rotation_applies:
                return key
            action = "kms:GetKeyRotationStatus"
            status = call_required(kms.get_key_rotation_status, action, f"key {arn}", KeyId=key_id)
            return with_rotation(key, status)
        except AwsError as exc:
            return KmsKey(**base, error=str(exc))
        except Exception as exc:
            return KmsKey(**base, error=str(translate(exc, action, f"key {arn}")))

    return bounded_map(one, listed, aws_clients.settings.max_workers)


def parse_key_metadata(base: dict[str, Any], answer: Any) -> KmsKey:
    """``DescribeKey``: a key whose manager, state, spec, usage or origin is absent
    cannot be judged (which key kinds rotate depends on each)."""
    a = Answer((answer or {}).get("KeyMetadata"), "KeyMetadata.")
    spec = a.data.get("KeySpec") or a.data.get("CustomerMasterKeySpec")
    if not spec:
        a.mark("spec", "KeyMetadata.KeySpec")
    return KmsKey(
        **base,
        manager=a.text("manager", "KeyManager"),
        state=a.text("state", "KeyState"),
        spec=spec or "",
        usage=a.text("usage", "KeyUsage"),
        origin=a.text("origin", "Origin"),
        missing_fields=a.missing,
    )


def with_rotation(key: KmsKey, answer: Any) -> KmsKey:
    """``key`` with the ``GetKeyRotationStatus`` answer; no flag is missing data."""
    a = Answer(answer)
    enabled = a.flag("rotation_enabled", "KeyRotationEnabled")
    return key.model_copy(
        update={
            "rotation_enabled": None if a.missing else enabled,
            "missing_fields": {**key.missing_fields, **a.missing},
        }
    )
