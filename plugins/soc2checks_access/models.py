"""The provider-neutral ``principals`` model and converters from each provider's models.

A converter is a pure function over models a provider already fetched; nothing here
calls an API. Unknown facts stay ``None`` (never guessed as safe).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

__all__ = ["Principal", "from_aws_user", "from_gcp_member", "from_github_member", "from_outside"]

_GCP_PRIVILEGED = ("roles/owner", "roles/editor", "roles/iam.securityAdmin")


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


def from_aws_user(user: object, *, admin: bool | None = None) -> Principal:
    """An IAM user from its credential report row; ``admin`` from its policies when known."""
    from soc2checks_aws.models import CredentialReportUser

    assert isinstance(user, CredentialReportUser)
    return Principal(
        system=f"aws:{user.account_id}",
        account=user.name,
        display_name=user.arn,
        kind="iam-user",
        privileged=admin,
        mfa=user.mfa_active if user.password_enabled else None,
        last_activity=_latest(
            [user.password_last_used, user.access_key_1_last_used, user.access_key_2_last_used]
        ),
        source="iam:GetCredentialReport",
    )


def from_github_member(member: object, *, mfa_disabled: set[str] | None = None) -> Principal:
    """A GitHub org member or owner; MFA from the org's 2FA-disabled filter when read."""
    from soc2checks_github.models import GithubMember

    assert isinstance(member, GithubMember)
    return Principal(
        system=f"github:{member.org}",
        account=member.login,
        display_name=member.login,
        kind="org-owner" if member.role == "admin" else "org-member",
        privileged=member.role == "admin",
        mfa=None if mfa_disabled is None else member.login not in mfa_disabled,
        source=f"GET /orgs/{member.org}/members?role=all",
    )


def from_outside(collaborator: object) -> Principal:
    """A GitHub outside collaborator: external; privileged when admin on any repository."""
    from soc2checks_github.models import OutsideCollaborator

    assert isinstance(collaborator, OutsideCollaborator)
    return Principal(
        system=f"github:{collaborator.org}",
        account=collaborator.login,
        display_name=collaborator.login,
        kind="outside-collaborator",
        privileged="admin" in collaborator.permissions.values(),
        external=True,
        source=f"GET /orgs/{collaborator.org}/outside_collaborators",
    )


def from_gcp_member(member: object, *, domains: Iterable[str] = ()) -> Principal:
    """A GCP IAM member; external when its domain is not one of ``domains`` (when given)."""
    from soc2checks_gcp.models import IamMember

    assert isinstance(member, IamMember)
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
