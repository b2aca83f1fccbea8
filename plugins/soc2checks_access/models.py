"""The provider-neutral ``principals`` model and converters from each provider's models.

A converter is a pure function over models a provider already fetched; nothing here
calls an API or imports an SDK. Unknown facts stay ``None`` (never guessed as safe).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from soc2checks_aws.models import CredentialReportUser, IamRole, IamUserPolicies
    from soc2checks_azure.models import EntraUser, RoleAssignments
    from soc2checks_gcp.models import IamMember
    from soc2checks_github.models import GithubMember, OutsideCollaborator

__all__ = [
    "AccessSettings",
    "AccessSystem",
    "Principal",
    "from_aws_role",
    "from_aws_user",
    "from_azure_owner",
    "from_entra_user",
    "from_gcp_member",
    "from_github_member",
    "from_outside",
]

_GCP_PRIVILEGED = ("roles/owner", "roles/editor", "roles/iam.securityAdmin")
_AWS_ADMIN_POLICIES = ("AdministratorAccess", "IAMFullAccess", "PowerUserAccess")
_ENTRA_PRIVILEGED = ("Global Administrator", "Privileged Role Administrator", "User Administrator")


class AccessSettings(BaseModel):
    """The ``[access]`` table: which systems are reviewed and where reviews live."""

    model_config = ConfigDict(extra="forbid")

    sources: list[str] | None = None
    """Providers whose principals are reviewed (``aws``, ``github``, ``gcp``, ``azure``);
    default: those of them the config has a table for."""
    reviews: str = "compliance/access-reviews"
    """The folder of review files, relative to the config file."""
    dormant_days: int = Field(default=90, ge=1)
    """No activity in this many days flags a principal as dormant in a new review."""


class AccessSystem(BaseModel):
    """A reviewed system: one provider scope (an AWS account, a GitHub org ...)."""

    model_config = ConfigDict(frozen=True)

    system: str
    source: str
    """The fixture its principals come from (``aws_principals`` ...)."""
    scope: dict[str, str] = Field(default_factory=dict)
    error: str | None = None
    """Why its principals cannot be fetched (then every check of it is an ``error``)."""
    resource_type: str = "Access::System"

    @property
    def resource_id(self) -> str:
        return self.system

    @property
    def scope_key(self) -> dict[str, str]:
        return {"system": self.system}


class Principal(BaseModel):
    """One identity that can reach a system, keyed by (``system``, ``account``)."""

    model_config = ConfigDict(frozen=True)

    system: str
    account: str
    display_name: str
    kind: str
    privileged: bool | None = None
    mfa: bool | None = None
    external: bool = False
    last_activity: dt.datetime | None = None
    created: dt.datetime | None = None
    source: str
    resource_type: str = "Access::Principal"

    @property
    def key(self) -> str:
        return f"{self.system}/{self.account}"

    @property
    def resource_id(self) -> str:
        return self.key


def _latest(values: Iterable[dt.datetime | None]) -> dt.datetime | None:
    seen = [v for v in values if v is not None]
    return max(seen) if seen else None


def _aws_admin(policies: IamUserPolicies | None) -> bool | None:
    if policies is None:
        return None
    attached = [p.name for p in policies.attached_policies]
    for group in policies.group_policies:
        attached.extend(p.name for p in group.attached_policies)
    return any(name in _AWS_ADMIN_POLICIES for name in attached)


def from_aws_user(user: CredentialReportUser, policies: IamUserPolicies | None) -> Principal:
    """An IAM user from its credential report row; privileged from its managed policies."""
    has_console = user.password_enabled
    return Principal(
        system=f"aws:{user.account_id}",
        account=user.name,
        display_name=user.arn,
        kind="iam-user",
        privileged=_aws_admin(policies),
        mfa=user.mfa_active if has_console else None,
        last_activity=_latest(
            [user.password_last_used, user.access_key_1_last_used, user.access_key_2_last_used]
        ),
        created=user.created,
        source="iam:GetCredentialReport, iam:GetAccountAuthorizationDetails",
    )


def from_aws_role(role: IamRole) -> Principal:
    """An IAM role; its privilege and last use are not read (``None``: not known)."""
    return Principal(
        system=f"aws:{role.account_id}",
        account=f"role/{role.name}",
        display_name=role.arn,
        kind="iam-role",
        source="iam:GetAccountAuthorizationDetails",
    )


def from_github_member(member: GithubMember, mfa_disabled: Sequence[str] | None) -> Principal:
    """A GitHub org member or owner; MFA from the org's 2FA-disabled filter when read."""
    return Principal(
        system=f"github:{member.org}",
        account=member.login,
        display_name=member.login,
        kind="org-owner" if member.role == "admin" else "org-member",
        privileged=member.role == "admin",
        mfa=None if mfa_disabled is None else member.login not in mfa_disabled,
        source=f"GET /orgs/{member.org}/members?role=all",
    )


def from_outside(collaborator: OutsideCollaborator) -> Principal:
    """A GitHub outside collaborator: external; privileged when admin on any repository."""
    return Principal(
        system=f"github:{collaborator.org}",
        account=collaborator.login,
        display_name=collaborator.login,
        kind="outside-collaborator",
        privileged="admin" in collaborator.permissions.values(),
        external=True,
        source=f"GET /orgs/{collaborator.org}/outside_collaborators",
    )


def from_gcp_member(member: IamMember, domains: Iterable[str] = ()) -> Principal:
    """A GCP IAM member; external when its domain is not one of ``domains`` (when given)."""
    own = {d.lower() for d in domains}
    return Principal(
        system=f"gcp:{member.project_id}",
        account=member.member,
        display_name=member.member.partition(":")[2] or member.member,
        kind=member.kind,
        privileged=any(r in _GCP_PRIVILEGED or r.endswith("Admin") for r in member.roles),
        external=bool(own) and member.domain is not None and member.domain not in own,
        source=f"cloudresourcemanager projects.getIamPolicy {member.project_id}",
    )


def from_entra_user(user: EntraUser) -> Principal:
    """An Entra ID user; guests are external, directory admin roles are privileged."""
    return Principal(
        system=f"azure:{user.tenant_id}",
        account=user.upn,
        display_name=user.upn,
        kind="entra-user",
        privileged=any(r in _ENTRA_PRIVILEGED for r in user.directory_roles),
        mfa=user.mfa_registered,
        external=(user.user_type or "").lower() == "guest",
        source="GET /users, GET /reports/authenticationMethods/userRegistrationDetails",
    )


def from_azure_owner(assignments: RoleAssignments) -> list[Principal]:
    """The principals holding Owner on a subscription (privileged by definition)."""
    return [
        Principal(
            system=f"azure:{assignments.subscription_id}",
            account=principal_id,
            display_name=principal_id,
            kind="role-assignment:Owner",
            privileged=True,
            source=f"Microsoft.Authorization/roleAssignments {assignments.subscription_id}",
        )
        for principal_id in sorted(assignments.owners)
    ]
