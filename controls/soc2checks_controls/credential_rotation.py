"""Credential rotation: long-lived keys are rotated.

Long-lived secrets leak; rotating them bounds how long a leaked key is useful.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control, skip
from soc2checks_aws.models import AccessKey
from soc2checks_gcp.models import ServiceAccount

credential_rotation = control("credential-rotation", criteria=["CC6.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@credential_rotation.check(
    "aws.iam.access-key-rotation",
    over="aws_iam_access_keys",
    severity="medium",
    remediation=(
        "Create a new access key, move its users to it, then deactivate and delete the old "
        "one; better, replace long-lived keys with IAM roles or IAM Identity Center."
    ),
)
def aws_access_key_rotation(key: AccessKey, today: dt.date, max_age_days: int = 90) -> None:
    """Active IAM access keys are younger than max_age_days.

    Inactive keys do not apply. The age is counted from the key's last rotation, as
    the credential report gives it.
    """
    if not key.active:
        skip(f"access key {key.slot} of IAM user {key.user_name} is inactive")
    rotated = key.last_rotated
    if rotated is None:  # the credential report gave no readable date: cannot judge
        raise LookupError(f"no last rotation date for access key {key.slot} of {key.user_name}")
    age = (today - rotated.astimezone(dt.timezone.utc).date()).days
    assert age <= max_age_days, (
        f"access key {key.slot} of IAM user {key.user_name} is {age} days old "
        f"(limit {max_age_days})"
    )


# --- gcp ---


@credential_rotation.check(
    "gcp.iam.sa-no-user-keys",
    over="gcp_service_accounts",
    severity="medium",
    remediation=(
        "Delete user-managed keys older than the limit and move the workload to attached "
        "service accounts or Workload Identity Federation; enforce the "
        "iam.disableServiceAccountKeyCreation organization policy."
    ),
)
def gcp_sa_no_user_keys(account: ServiceAccount, today: dt.date, max_age_days: int = 90) -> None:
    """Service accounts have no enabled user-managed key older than max_age_days."""
    old: list[str] = []
    for key in account.user_managed_keys:
        if key.disabled:
            continue
        if key.created is None:
            raise LookupError(
                f"Google did not return the creation time of key {key.key_id} of {account.email}"
            )
        age = (today - key.created.astimezone(dt.timezone.utc).date()).days
        if age > max_age_days:
            old.append(f"{key.key_id} ({age} days)")
    assert not old, (
        f"service account {account.email} has user-managed keys older than {max_age_days} "
        f"days: {', '.join(old)}"
    )
