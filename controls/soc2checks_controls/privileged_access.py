"""Privileged access: the most powerful identities are locked down.

Root and owner identities bypass every other control; they must not carry long-lived
keys and must be few.
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import AccountSummary
from soc2checks_azure.models import ClassicAdministrators, RoleAssignments, TenantRoles

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


# --- azure ---


@privileged_access.check(
    "azure.entra.global-admins",
    over="azure_tenant_roles",
    severity="high",
    remediation=(
        "Keep between min_admins and max_admins Global Administrators: at least two so the "
        "tenant cannot be locked out, few enough to review; use narrower roles otherwise."
    ),
)
def azure_global_admins(roles: TenantRoles, min_admins: int = 2, max_admins: int = 4) -> None:
    """The tenant has between min_admins (2) and max_admins (4) Global Administrators."""
    admins = roles.members.get("Global Administrator", ())
    assert min_admins <= len(admins) <= max_admins, (
        f"tenant {roles.tenant_id} has {len(admins)} Global Administrators "
        f"(allowed {min_admins}-{max_admins}): {', '.join(admins) or 'none'}"
    )


@privileged_access.check(
    "azure.authorization.owner-count",
    over="azure_role_assignments",
    severity="medium",
    remediation=(
        "Reduce Owner assignments at the subscription scope to at most max_owners; grant "
        "Contributor or narrower roles, and Owner just in time through PIM."
    ),
)
def azure_owner_count(assignments: RoleAssignments, max_owners: int = 3) -> None:
    """At most max_owners (3) principals hold Owner at the subscription scope."""
    n = len(assignments.owners)
    assert n <= max_owners, (
        f"subscription {assignments.subscription_id} has {n} Owner assignments (limit {max_owners})"
    )


@privileged_access.check(
    "azure.authorization.no-classic-admins",
    over="azure_classic_admins",
    severity="medium",
    remediation=(
        "Remove classic co-administrators and grant Azure RBAC roles instead (classic "
        "administrators were retired and bypass RBAC reviews)."
    ),
)
def azure_no_classic_admins(admins: ClassicAdministrators) -> None:
    """The subscription has no classic co-administrators."""
    assert not admins.co_administrators, (
        f"subscription {admins.subscription_id} has classic co-administrators: "
        f"{', '.join(admins.co_administrators)}"
    )
