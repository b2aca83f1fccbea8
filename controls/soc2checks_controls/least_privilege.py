"""Least privilege: nobody holds more access than their role needs.

Broad administrative grants and permissive defaults defeat role-based access and
segregation of duties.
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import AttachedPolicy, IamUserPolicies, InlinePolicy, ManagedPolicy
from soc2checks_controls._policy import AWS_ADMIN_POLICY_ARNS, grants_full_admin
from soc2checks_gcp.models import Bucket, IamMember, ProjectMetadata, ServiceAccount
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


# --- gcp ---

_GCP_PRIMITIVE = ("roles/owner", "roles/editor")


def _gcp_is_admin_role(role: str) -> bool:
    name = role.rsplit("/", 1)[-1].rsplit(".", 1)[-1].lower()
    return role in _GCP_PRIMITIVE or name.endswith("admin")


@least_privilege.check(
    "gcp.iam.no-primitive-roles",
    over="gcp_iam_members",
    severity="high",
    remediation=(
        "Replace roles/owner and roles/editor bindings of users and groups with predefined "
        "roles scoped to what each needs (and grant owner only through a break-glass group "
        "with its use reviewed)."
    ),
)
def gcp_no_primitive_roles(member: IamMember) -> None:
    """Users and groups hold no basic roles (roles/owner, roles/editor) on a project.

    Service accounts and Google-managed service agents are judged by
    gcp.iam.sa-not-admin; other principal kinds skip.
    """
    if member.kind not in ("user", "group"):
        skip(f"{member.member} is not a user or group")
    held = sorted(r for r in (*member.roles, *member.conditional_roles) if r in _GCP_PRIMITIVE)
    assert not held, f"{member.member} holds {', '.join(held)} on project {member.project_id}"


@least_privilege.check(
    "gcp.iam.external-members",
    over="gcp_iam_members",
    severity="medium",
    remediation=(
        "Remove project bindings of accounts outside the organization's domains, or add the "
        "domain to allowed_domains if it is a trusted partner; enforce the "
        "iam.allowedPolicyMemberDomains organization policy."
    ),
)
def gcp_external_members(member: IamMember, allowed_domains: list[str] = []) -> None:  # noqa: B006
    """Users and groups bound on a project belong to the allowed domains.

    Skips when ``allowed_domains`` is empty (the parameter has no safe default).
    """
    if not allowed_domains:
        skip("allowed_domains is not configured")
    if member.kind not in ("user", "group", "domain"):
        skip(f"{member.member} is not a user, group or domain")
    domain = member.domain
    allowed = {d.lower() for d in allowed_domains}
    assert domain is not None and domain in allowed, (
        f"{member.member} on project {member.project_id} is outside the allowed domains "
        f"({', '.join(sorted(allowed))})"
    )


@least_privilege.check(
    "gcp.iam.sa-not-admin",
    over="gcp_service_accounts",
    severity="high",
    remediation=(
        "Grant service accounts predefined roles limited to what the workload needs; remove "
        "roles/owner, roles/editor and *Admin roles from them."
    ),
)
def gcp_sa_not_admin(account: ServiceAccount) -> None:
    """User-managed service accounts hold no owner, editor or *Admin role on their project."""
    admin = sorted(r for r in account.project_roles if _gcp_is_admin_role(r))
    assert not admin, (
        f"service account {account.email} holds {', '.join(admin)} on project {account.project_id}"
    )


@least_privilege.check(
    "gcp.storage.uniform-access",
    over="gcp_buckets",
    severity="medium",
    remediation=(
        "Enable uniform bucket-level access (gcloud storage buckets update gs://BUCKET "
        "--uniform-bucket-level-access) so IAM alone governs access, not per-object ACLs."
    ),
)
def gcp_bucket_uniform_access(bucket: Bucket) -> None:
    """Buckets use uniform bucket-level access (no object ACLs)."""
    if bucket.uniform_access is None:
        raise LookupError(f"Google did not return uniformBucketLevelAccess for {bucket.name}")
    assert bucket.uniform_access, f"bucket {bucket.name} allows per-object ACLs"


@least_privilege.check(
    "gcp.compute.os-login",
    over="gcp_project_metadata",
    severity="medium",
    remediation=(
        "Set the project metadata enable-oslogin=TRUE so SSH access to VMs is governed by IAM "
        "(and can require 2-step verification), not by SSH keys in metadata."
    ),
)
def gcp_os_login(metadata: ProjectMetadata) -> None:
    """OS Login is enabled project-wide (``enable-oslogin`` is TRUE)."""
    value = metadata.items.get("enable-oslogin")
    assert value is not None and value.strip().upper() == "TRUE", (
        f"project {metadata.project_id} has enable-oslogin={value!r}"
        if value is not None
        else f"project {metadata.project_id} does not set enable-oslogin"
    )
