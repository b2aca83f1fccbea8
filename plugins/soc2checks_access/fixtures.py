"""The ``access`` fixtures: principals built from the providers' own fixtures, and reviews.

Each ``*_principals`` fixture converts models another provider plugin fetched (no API
call here); ``access_system`` fans out over every scope of every reviewed provider, and
a scope whose principals could not be fetched becomes a system with an ``error``, so
its checks are ``error`` findings, never "covered".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from soc2checks import resource, scope
from soc2checks_access.models import (
    AccessSettings,
    AccessSystem,
    Principal,
    from_aws_role,
    from_aws_user,
    from_azure_owner,
    from_entra_user,
    from_gcp_member,
    from_github_member,
    from_outside,
)
from soc2checks_access.reviews import Review, latest_completed, parse_review

if TYPE_CHECKING:
    from soc2checks import Config
    from soc2checks._fixtures_cache import FixtureLookup
    from soc2checks_aws.models import AwsAccount, CredentialReportUser, IamRole, IamUserPolicies
    from soc2checks_azure.models import AzureTenant, EntraUser, RoleAssignments
    from soc2checks_gcp.models import GcpProject, IamMember
    from soc2checks_github.models import GithubMember, GithubOrg, OutsideCollaborator

SOURCES: dict[str, tuple[str, ...]] = {
    "aws": ("aws_principals",),
    "github": ("github_principals",),
    "gcp": ("gcp_principals",),
    "azure": ("azure_entra_principals", "azure_owner_principals"),
}


class AccessError(RuntimeError):
    """A system's principals or its review files cannot be read."""


class ReviewDecision(BaseModel):
    """One decision of the last completed review of a system."""

    model_config = ConfigDict(frozen=True)

    system: str
    key: str
    account: str
    display_name: str
    privileged: bool | None
    decision: str
    reviewer: str | None
    reviewed_on: dt.date | None
    note: str | None
    review: str
    line: int
    resource_type: str = "Access::ReviewDecision"

    @property
    def resource_id(self) -> str:
        return f"{self.review}#{self.key}"


def settings_of(config: Config) -> AccessSettings:
    value = config.settings("access")
    return value if isinstance(value, AccessSettings) else AccessSettings()


@resource("aws_principals", scope="account", provider="access", resource_type="Access::Principal")
def aws_principals(
    aws_account: AwsAccount,
    aws_iam_users: list[CredentialReportUser],
    aws_iam_user_policies: list[IamUserPolicies],
    aws_iam_roles: list[IamRole],
) -> list[Principal]:
    """IAM users (console, keys, admin, last use) and roles of one account."""
    policies = {p.name: p for p in aws_iam_user_policies}
    users = [from_aws_user(u, policies.get(u.name)) for u in aws_iam_users]
    roles = [from_aws_role(r) for r in aws_iam_roles if not r.path.startswith("/aws-service-role/")]
    return users + roles


@resource("github_principals", scope="org", provider="access", resource_type="Access::Principal")
def github_principals(
    github_org: GithubOrg,
    github_members: list[GithubMember],
    github_outside_collaborators: list[OutsideCollaborator],
    fixture_lookup: FixtureLookup,
) -> list[Principal]:
    """Org members, owners and outside collaborators; MFA when the 2FA audit is readable."""
    disabled: list[str] | None = None
    for got in fixture_lookup.each("github_members_2fa_disabled"):
        if got.scope.get("org") == github_org.login and got.error is None:
            disabled = list(got.value.disabled)
    members = [from_github_member(m, disabled) for m in github_members]
    return members + [from_outside(c) for c in github_outside_collaborators]


@resource("gcp_principals", scope="project", provider="access", resource_type="Access::Principal")
def gcp_principals(gcp_project: GcpProject, gcp_iam_members: list[IamMember]) -> list[Principal]:
    """The members of a project's IAM policy."""
    return [from_gcp_member(m) for m in gcp_iam_members]


@resource(
    "azure_entra_principals", scope="tenant", provider="access", resource_type="Access::Principal"
)
def azure_entra_principals(
    azure_tenant: AzureTenant, azure_entra_users: list[EntraUser]
) -> list[Principal]:
    """Entra ID users of the tenant."""
    return [from_entra_user(u) for u in azure_entra_users]


@resource(
    "azure_owner_principals",
    scope="subscription",
    provider="access",
    resource_type="Access::Principal",
)
def azure_owner_principals(azure_role_assignments: RoleAssignments) -> list[Principal]:
    """Owner role assignments of a subscription."""
    return from_azure_owner(azure_role_assignments)


def _system_name(source: str, scope: dict[str, str]) -> str:
    provider = next(p for p, names in SOURCES.items() if source in names)
    return f"{provider}:{next(iter(scope.values()))}" if scope else provider


@scope(
    "access_system",
    level="system",
    provider="access",
    description="Reviewed systems: every scope of each [access] sources provider",
)
def access_system(config: Config, fixture_lookup: FixtureLookup) -> list[AccessSystem]:
    """One system per scope of each reviewed provider; failures kept as errors."""
    settings = settings_of(config)
    wanted = settings.sources
    if wanted is None:
        wanted = sorted(p for p in SOURCES if p in config.tables())
    out: list[AccessSystem] = []
    for provider in wanted:
        if provider not in SOURCES:
            raise AccessError(
                f"[access] sources: unknown provider {provider!r}; known: {', '.join(SOURCES)}"
            )
        for source in SOURCES[provider]:
            if not fixture_lookup.known(source):
                out.append(AccessSystem(system=provider, source=source, error="not installed"))
                continue
            for got in fixture_lookup.each(source):
                error = None if got.error is None else f"{type(got.error).__name__}: {got.error}"
                out.append(
                    AccessSystem(
                        system=_system_name(source, got.scope),
                        source=source,
                        scope=got.scope,
                        error=error,
                    )
                )
    return sorted(out, key=lambda s: (s.system, s.source))


@resource("principals", scope="system", provider="access", resource_type="Access::Principal")
def principals(access_system: AccessSystem, fixture_lookup: FixtureLookup) -> list[Principal]:
    """Every principal of one reviewed system (an error when they cannot be fetched)."""
    if access_system.error is not None:
        raise AccessError(f"principals of {access_system.system}: {access_system.error}")
    for got in fixture_lookup.each(access_system.source):
        if got.scope == access_system.scope:
            if got.error is not None:
                raise AccessError(f"principals of {access_system.system}: {got.error}")
            return sorted(got.value, key=lambda p: p.key)
    raise AccessError(f"principals of {access_system.system}: the scope is no longer listed")


def review_files(folder: Path, config_root: Path) -> list[Review]:
    """Every ``*.yaml``/``*.yml`` review in ``folder``, parsed (missing folder: none)."""
    if not folder.is_dir():
        return []
    out: list[Review] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            display = str(path.relative_to(config_root))
        except ValueError:
            display = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            out.append(Review(display=display, problems=[f"{display}:1: cannot read: {exc}"]))
            continue
        out.append(parse_review(text, display))
    return out


@resource("access_reviews", scope="run", provider="access", resource_type="Access::Review")
def access_reviews(config: Config) -> list[Review]:
    """The review files of ``[access] reviews`` (default ``compliance/access-reviews``)."""
    folder = config.resolve_path(settings_of(config).reviews)
    return review_files(folder, config.root)


def reviews_of(system: AccessSystem, reviews: list[Review]) -> list[Review]:
    """The system's review files; raises naming the file and line of any broken one."""
    mine = [r for r in reviews if r.system in (system.system, "")]
    for r in mine:
        if r.problems:
            more = f" (and {len(r.problems) - 1} more)" if len(r.problems) > 1 else ""
            raise AccessError(r.problems[0] + more)
    return [r for r in mine if r.system == system.system]


@resource(
    "access_review_decisions",
    scope="system",
    provider="access",
    resource_type="Access::ReviewDecision",
)
def access_review_decisions(
    access_system: AccessSystem, access_reviews: list[Review]
) -> list[ReviewDecision]:
    """The decisions of the system's last completed review."""
    last = latest_completed(reviews_of(access_system, access_reviews), access_system.system)
    if last is None:
        return []
    return [
        ReviewDecision(
            system=last.system,
            key=e.key,
            account=e.account,
            display_name=str(e.snapshot.get("display_name") or e.account),
            privileged=_bool(e.snapshot.get("privileged")),
            decision=e.decision,
            reviewer=e.reviewer,
            reviewed_on=e.reviewed_on,
            note=e.note,
            review=last.display,
            line=e.line,
        )
        for e in last.entries
    ]


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None
