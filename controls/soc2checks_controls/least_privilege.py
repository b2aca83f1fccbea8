"""Least privilege: nobody holds more access than their role needs.

Broad administrative grants and permissive defaults defeat role-based access and
segregation of duties.
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import AttachedPolicy, IamUserPolicies, InlinePolicy, ManagedPolicy
from soc2checks_controls._policy import AWS_ADMIN_POLICY_ARNS, grants_full_admin
from soc2checks_github.models import GithubMember, GithubOrg, GithubOrgSettings

least_privilege = control("least-privilege", criteria=["CC6.3"])

# Checks for every provider sit side by side below, grouped by provider.


# --- github ---


@least_privilege.check(
    "github.org.admin-count",
    severity="medium",
    remediation=(
        "Demote owners who do not need full control to members (People > role), and give "
        "them scoped roles or team maintainer rights instead."
    ),
)
def github_org_admin_count(
    github_org: GithubOrg, github_members: list[GithubMember], max_owners: int = 3
) -> None:
    """The GitHub organization has no more than `max_owners` owners.

    Owners can change every setting, repository and member; few owners make access
    reviews meaningful.
    """
    owners = sorted(m.login for m in github_members if m.role == "admin")
    assert len(owners) <= max_owners, (
        f"organization {github_org.login} has {len(owners)} owners (limit {max_owners}): "
        + ", ".join(owners)
    )


@least_privilege.check(
    "github.org.default-permission",
    over="github_org_settings",
    severity="medium",
    remediation=(
        "Organization settings > Member privileges > Base permissions: choose 'Read' or "
        "'No permission', and grant write access through teams."
    ),
)
def github_org_default_permission(org: GithubOrgSettings) -> None:
    """Members get at most read access to repositories by default.

    A base permission of write or admin gives every member of the organization that
    access to every repository, bypassing team-based grants.
    """
    permission = org.owner_field("default_repository_permission")
    assert permission in ("read", "none"), (
        f"organization {org.login} gives every member {permission!r} access to all "
        "repositories by default (expected 'read' or 'none')"
    )


# --- aws ---


@least_privilege.check(
    "aws.iam.no-direct-admin",
    over="aws_iam_user_policies",
    severity="high",
    remediation=(
        'Detach AdministratorAccess (and any policy allowing "*", or all but some actions '
        'with NotAction, on "*") from the user and its groups, delete such inline '
        "policies, and grant administration through a role assumed with MFA or an IAM "
        "Identity Center permission set."
    ),
)
def aws_no_direct_admin(user: IamUserPolicies) -> None:
    """IAM users hold no full-administrator policy, of their own or through a group.

    Judges every policy that applies to the user: attached and inline, its own and
    its groups'. AWS's AdministratorAccess is admin; so is a customer-managed or
    inline policy allowing ``*`` (or, with ``NotAction``, all but some actions) on
    ``*``.
    """
    admin = _admin_grants(user.attached_policies, user.inline_policies, "")
    for group in user.group_policies:
        admin += _admin_grants(
            group.attached_policies, group.inline_policies, f" (through group {group.name})"
        )
    assert not admin, f"IAM user {user.name} has full administrator access: " + ", ".join(admin)


def _admin_grants(
    attached: list[AttachedPolicy], inline: list[InlinePolicy], via: str
) -> list[str]:
    found = [
        p.arn + via
        for p in attached
        if p.arn in AWS_ADMIN_POLICY_ARNS or (p.document and grants_full_admin(p.document))
    ]
    found += [f"inline policy {p.name}{via}" for p in inline if grants_full_admin(p.document)]
    return found


@least_privilege.check(
    "aws.iam.admin-policies",
    over="aws_iam_policies",
    severity="high",
    remediation=(
        'Replace the "*" on "*" statement with the actions and resources its holders '
        "need, and make that version the default."
    ),
)
def aws_admin_policies(policy: ManagedPolicy) -> None:
    """Customer-managed policies in use grant no full administrator access.

    Full administrator access is ``Allow`` of ``*`` (or, with ``NotAction``, of all but
    some actions) on ``*``.

    Policies attached to nothing do not apply.
    """
    from soc2checks import skip

    if policy.attachment_count == 0:
        skip(f"customer-managed policy {policy.name} is not attached to anything")
    assert not grants_full_admin(policy.document), (
        f'customer-managed policy {policy.name} allows "*" on "*" and is attached '
        f"{policy.attachment_count} time(s)"
    )
