"""Credential rotation: long-lived keys are rotated.

Long-lived secrets leak; rotating them bounds how long a leaked key is useful.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control, skip
from soc2checks_aws.models import AccessKey

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
