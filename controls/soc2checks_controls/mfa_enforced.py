"""MFA enforced: every human sign-in needs a second factor.

Passwords alone are phished and reused; a second factor on every interactive sign-in is
the baseline an auditor expects for logical access (CC6.1) and for issuing credentials
(CC6.2).
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import AccountSummary, CredentialReportUser
from soc2checks_azure.models import EntraUser, TenantMfaPolicy
from soc2checks_github.models import (
    GithubMember,
    GithubOrgSettings,
    TwoFactorAudit,
)

mfa_enforced = control("mfa-enforced", criteria=["CC6.1", "CC6.2"])

# Checks for every provider sit side by side below, grouped by provider.


# --- github ---


@mfa_enforced.check(
    "github.org.2fa-required",
    over="github_org_settings",
    severity="high",
    remediation=(
        "Organization settings > Authentication security: tick 'Require two-factor "
        "authentication for everyone'. Members without 2FA are removed, so warn them first."
    ),
)
def github_org_requires_2fa(org: GithubOrgSettings) -> None:
    """The GitHub organization requires two-factor authentication of every member.

    GitHub shows this setting only to organization owners; without an owner's token
    the finding is an error (could not verify), never a failure.
    """
    required = org.owner_field("two_factor_requirement_enabled")
    assert required is True, f"organization {org.login} does not require two-factor authentication"


@mfa_enforced.check(
    "github.org.members-2fa",
    over="github_members",
    severity="high",
    remediation=(
        "Ask the member to enable 2FA (Settings > Password and authentication), or remove "
        "them; then require 2FA for the whole organization."
    ),
)
def github_member_has_2fa(
    member: GithubMember, github_members_2fa_disabled: TwoFactorAudit
) -> None:
    """Every member of the GitHub organization has two-factor authentication enabled.

    Bot accounts cannot enrol a second factor and are not applicable. The 2FA state
    comes from the owner-only ``filter=2fa_disabled`` member list.
    """
    if member.type == "Bot":
        skip(f"{member.login} is a bot account")
    assert member.login not in github_members_2fa_disabled.disabled, (
        f"{member.login} ({'owner' if member.role == 'admin' else 'member'} of {member.org}) "
        "has not enabled two-factor authentication"
    )


# --- aws ---


@mfa_enforced.check(
    "aws.iam.root-mfa",
    over="aws_account_summary",
    severity="critical",
    remediation=(
        "Sign in as the root user and assign an MFA device (a hardware security key is "
        "best) under Security credentials; in an AWS Organization you may instead remove "
        "member accounts' root credentials with centralized root access management."
    ),
)
def aws_root_mfa(summary: AccountSummary) -> None:
    """The AWS account's root user has MFA enabled.

    Read from ``iam:GetAccountSummary`` (``AccountMFAEnabled``).
    """
    assert summary.root_mfa_enabled, (
        f"the root user of account {summary.account_id} has no MFA device"
    )


@mfa_enforced.check(
    "aws.iam.console-user-mfa",
    over="aws_iam_users",
    severity="high",
    remediation=(
        "Assign an MFA device to the user (IAM > Users > Security credentials > Assign "
        "MFA device), or delete the console password if the user does not need the console."
    ),
)
def aws_console_user_mfa(user: CredentialReportUser) -> None:
    """IAM users who can sign in to the console have an MFA device.

    Judged from the IAM credential report. Users without a console password do not
    apply; the root user is never counted as an IAM user (see ``aws.iam.root-mfa``).
    """
    from soc2checks import skip

    if not user.password_enabled:
        skip(f"IAM user {user.name} has no console password")
    assert user.mfa_active, f"IAM user {user.name} can sign in to the console without MFA"


# --- azure ---

AZURE_PRIVILEGED_ROLES = (
    "Global Administrator",
    "Privileged Role Administrator",
    "Privileged Authentication Administrator",
    "Security Administrator",
    "User Administrator",
    "Exchange Administrator",
    "SharePoint Administrator",
    "Conditional Access Administrator",
    "Application Administrator",
    "Cloud Application Administrator",
    "Authentication Administrator",
    "Helpdesk Administrator",
    "Billing Administrator",
    "Intune Administrator",
)


def _azure_member_in_scope(user: EntraUser) -> None:
    if user.user_type is None or user.enabled is None:
        raise LookupError(f"Microsoft Graph did not return userType/accountEnabled for {user.upn}")
    if user.user_type.lower() == "guest":
        skip(
            f"{user.upn} is a guest (MFA is enforced by their home tenant or cross-tenant settings)"
        )
    if not user.enabled:
        skip(f"{user.upn} is disabled")


@mfa_enforced.check(
    "azure.entra.mfa-registered",
    over="azure_entra_users",
    severity="high",
    remediation=(
        "Have the user register an MFA method (Microsoft Authenticator, FIDO2, Windows Hello); "
        "enforce registration with an authentication methods registration campaign."
    ),
)
def azure_mfa_registered(user: EntraUser) -> None:
    """Enabled member users have registered an MFA method (registration report)."""
    _azure_member_in_scope(user)
    if user.mfa_registered is None:
        raise LookupError(
            f"{user.upn} is missing from the authentication methods registration report"
        )
    assert user.mfa_registered, f"{user.upn} has not registered an MFA method"


@mfa_enforced.check(
    "azure.entra.admin-mfa",
    over="azure_entra_users",
    severity="critical",
    remediation=(
        "Register MFA for every holder of a privileged directory role and require it with a "
        "conditional-access policy targeting those roles (phishing-resistant strength)."
    ),
)
def azure_admin_mfa(user: EntraUser) -> None:
    """Users holding a privileged directory role have MFA registered."""
    held = sorted(set(user.directory_roles) & set(AZURE_PRIVILEGED_ROLES))
    if not held:
        skip("holds no privileged directory role")
    if user.enabled is False:
        skip(f"{user.upn} is disabled")
    if user.mfa_registered is None:
        raise LookupError(
            f"{user.upn} is missing from the authentication methods registration report"
        )
    assert user.mfa_registered, f"{user.upn} holds {', '.join(held)} without MFA registered"


@mfa_enforced.check(
    "azure.entra.mfa-enforced",
    over="azure_tenant_mfa_policy",
    severity="critical",
    remediation=(
        "Turn on security defaults, or (with Entra ID P1) enable a conditional-access policy "
        "that requires MFA for All users and All cloud apps, with only break-glass exclusions."
    ),
)
def azure_mfa_enforced(policy: TenantMfaPolicy) -> None:
    """Security defaults are on, or an enabled conditional-access policy requires MFA for
    all users and all cloud apps (report-only policies do not count)."""
    if policy.security_defaults:
        return
    if policy.policies is None:
        raise LookupError("conditional-access policies were not read")
    enforcing = [
        p.name
        for p in policy.policies
        if p.state == "enabled"
        and "All" in p.include_users
        and "All" in p.include_applications
        and not p.exclude_applications
        and ("mfa" in p.built_in_controls or p.authentication_strength is not None)
    ]
    assert enforcing, (
        f"tenant {policy.tenant_id}: security defaults are off and no enabled conditional-access "
        "policy requires MFA for all users and all cloud apps"
    )
