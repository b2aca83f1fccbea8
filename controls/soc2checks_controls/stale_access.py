"""Stale access removed: unused credentials are disabled.

Credentials nobody uses are access nobody reviews; removing them is how access is
withdrawn when no longer needed (CC6.2, CC6.3).
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control, skip
from soc2checks_aws.models import CredentialReportUser

stale_access = control("stale-access", criteria=["CC6.2", "CC6.3"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@stale_access.check(
    "aws.iam.unused-credentials",
    over="aws_iam_users",
    severity="medium",
    remediation=(
        "Delete the console password and deactivate access keys not used within the "
        "period (IAM > Users > Security credentials); delete users nobody needs."
    ),
)
def aws_unused_credentials(
    user: CredentialReportUser, today: dt.date, max_unused_days: int = 45
) -> None:
    """IAM users have no password or active access key unused for max_unused_days.

    A credential never used counts from when it was set: the password's last change
    (else the user's creation), the access key's last rotation. Users with neither a
    password nor an active key do not apply.
    """
    credentials: list[tuple[str, dt.datetime | None, dt.datetime]] = []
    if user.password_enabled:
        since = user.password_last_changed or user.created
        credentials.append(("console password", user.password_last_used, since))
    if user.access_key_1_active:
        since = user.access_key_1_last_rotated or user.created
        credentials.append(("access key 1", user.access_key_1_last_used, since))
    if user.access_key_2_active:
        since = user.access_key_2_last_rotated or user.created
        credentials.append(("access key 2", user.access_key_2_last_used, since))
    if not credentials:
        skip(f"IAM user {user.name} has no console password and no active access key")
    stale = []
    for label, last_used, since in credentials:
        days = (today - (last_used or since).astimezone(dt.timezone.utc).date()).days
        if days > max_unused_days:
            state = f"last used {days} days ago" if last_used else f"never used in {days} days"
            stale.append(f"{label} {state}")
    assert not stale, (
        f"IAM user {user.name} has credentials unused for more than {max_unused_days} days: "
        + "; ".join(stale)
    )
