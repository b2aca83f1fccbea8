"""Key management: encryption keys are rotated.

Rotating customer-managed keys limits the data exposed by one compromised key version.
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import KmsKey, raise_if_error
from soc2checks_azure.models import VaultKey
from soc2checks_gcp.models import CryptoKey

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


# --- gcp ---


@key_management.check(
    "gcp.kms.key-rotation",
    over="gcp_kms_keys",
    severity="medium",
    remediation=(
        "Set a rotation period of at most max_days on the key (gcloud kms keys update KEY "
        "--rotation-period=90d --next-rotation-time=...)."
    ),
)
def gcp_kms_key_rotation(key: CryptoKey, max_days: int = 365) -> None:
    """Symmetric CryptoKeys with an enabled primary version rotate within max_days.

    Asymmetric, MAC and raw keys cannot rotate automatically and skip, as do keys
    whose primary version is not enabled.
    """
    if key.purpose != "ENCRYPT_DECRYPT":
        skip(f"{key.purpose} keys do not rotate automatically")
    if key.primary_state != "ENABLED":
        skip(f"primary version is {key.primary_state or 'absent'}")
    assert key.rotation_period_seconds is not None, f"key {key.name} has no rotation period"
    days = key.rotation_period_seconds / 86400
    assert days <= max_days, f"key {key.name} rotates every {days:g} days (limit {max_days})"


# --- azure ---


@key_management.check(
    "azure.keyvault.key-rotation",
    over="azure_vault_keys",
    severity="medium",
    remediation="Give the key a rotation policy with an automatic Rotate action.",
)
def azure_key_rotation(key: VaultKey) -> None:
    """Key vault keys have a rotation policy with an automatic rotate action (read through ARM)."""
    assert key.rotation_actions is not None, f"key {key.name} in {key.vault} has no rotation policy"
    assert "rotate" in key.rotation_actions, (
        f"key {key.name} in {key.vault} has a rotation policy without a Rotate action"
    )
