"""MFA enforced: every human sign-in needs a second factor.

Passwords alone are phished and reused; a second factor on every interactive sign-in is
the baseline an auditor expects for logical access (CC6.1) and for issuing credentials
(CC6.2).
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import AccountSummary, CredentialReportUser
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
