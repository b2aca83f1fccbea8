"""Key management: encryption keys are rotated.

Rotating customer-managed keys limits the data exposed by one compromised key version.
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import KmsKey, raise_if_error

key_management = control("key-management", criteria=["CC6.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@key_management.check(
    "aws.kms.key-rotation",
    over="aws_kms_keys",
    severity="medium",
    remediation="Turn on automatic rotation: `aws kms enable-key-rotation --key-id <key>`.",
)
def aws_kms_key_rotation(key: KmsKey) -> None:
    """Enabled customer-managed symmetric KMS keys rotate automatically.

    AWS-managed keys, disabled keys, asymmetric and HMAC keys, and keys with imported
    or custom-store key material (which cannot rotate automatically) do not apply.
    """
    from soc2checks import skip

    raise_if_error(key)
    if key.manager != "CUSTOMER":
        skip(f"KMS key {key.key_id} is managed by AWS")
    if key.state != "Enabled":
        skip(f"KMS key {key.key_id} is {key.state or 'not enabled'}")
    if not key.rotation_applies:
        skip(
            f"KMS key {key.key_id} ({key.spec}, {key.usage}, origin {key.origin}) "
            "does not support automatic rotation"
        )
    assert key.rotation_enabled, (
        f"KMS key {key.key_id} ({key.region}) does not rotate automatically"
    )
