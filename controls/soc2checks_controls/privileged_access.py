"""Privileged access: the most powerful identities are locked down.

Root and owner identities bypass every other control; they must not carry long-lived
keys and must be few.
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import AccountSummary

privileged_access = control("privileged-access", criteria=["CC6.1", "CC6.3"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@privileged_access.check(
    "aws.iam.root-access-keys",
    over="aws_account_summary",
    severity="critical",
    remediation=(
        "Sign in as the root user, open Security credentials and delete every access key; "
        "use IAM roles (or users with limited permissions) for programmatic access."
    ),
)
def aws_root_access_keys(summary: AccountSummary) -> None:
    """The AWS account's root user has no access keys.

    Read from ``iam:GetAccountSummary`` (``AccountAccessKeysPresent``).
    """
    assert not summary.root_access_keys_present, (
        f"the root user of account {summary.account_id} has access keys"
    )
