"""Entra ID fixtures, read from Microsoft Graph v1.0 (msgraph-sdk).

Requests per tenant: ``users`` and the authentication-methods registration report
(``reports/authenticationMethods/userRegistrationDetails``, Entra ID P1) once each, per
page; ``directoryRoles`` plus each activated role's ``members``;
``identitySecurityDefaultsEnforcementPolicy``, and the conditional-access policies only
when security defaults are off. A missing permission or licence fails the fixture, so
each check that needs it gets **one** ``error`` naming the permission or licence, never
a failure per user.
"""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_azure.clients import AzureClients
from soc2checks_azure.models import (
    AzureTenant,
    ConditionalAccessPolicy,
    EntraUser,
    TenantMfaPolicy,
    TenantRoles,
)

USER_READ = "graph:User.Read.All"
AUDITLOG_READ = "graph:AuditLog.Read.All"
REPORTS_READ = "graph:Reports.Read.All"
POLICY_READ = "graph:Policy.Read.All"
ROLES_READ = "graph:RoleManagement.Read.Directory"
P1 = "licence:Microsoft Entra ID P1"


async def _all(builder: Any) -> list[Any]:
    """Every item of a Graph collection, following ``@odata.nextLink``."""
    page = await builder.get()
    items = list(page.value or []) if page else []
    while page is not None and page.odata_next_link:
        page = await builder.with_url(page.odata_next_link).get()
        items.extend(page.value or [])
    return items


def _roles_by_user(clients: AzureClients, tenant: str) -> dict[str, tuple[str, ...]]:
    async def fetch(g: Any) -> dict[str, set[str]]:
        roles = await _all(g.directory_roles)
        out: dict[str, set[str]] = {}
        for role in roles:
            for m in await _all(g.directory_roles.by_directory_role_id(role.id).members):
                out.setdefault(str(m.id), set()).add(str(role.display_name))
        return out

    found = clients.once(
        "graph:roles",
        lambda: clients.run_graph(fetch, ROLES_READ.removeprefix("graph:"), f"tenant {tenant}"),
    )
    return {k: tuple(sorted(v)) for k, v in found.items()}


@resource(
    "azure_entra_users",
    scope="tenant",
    permissions=[USER_READ, AUDITLOG_READ, REPORTS_READ, ROLES_READ, P1],
    resource_type="Azure::Entra::User",
)
def azure_entra_users(azure_tenant: AzureTenant, azure_clients: AzureClients) -> list[EntraUser]:
    """Every user with MFA registration (from the registration report) and directory roles."""
    tid = azure_tenant.tenant_id
    where = f"tenant {tid}"
    users = azure_clients.run_graph(lambda g: _all(g.users), "User.Read.All", where)
    report = azure_clients.run_graph(
        lambda g: _all(g.reports.authentication_methods.user_registration_details),
        "AuditLog.Read.All (registration report)",
        where,
    )
    mfa = {str(r.id): r.is_mfa_registered for r in report}
    roles = _roles_by_user(azure_clients, tid)
    return sorted(
        (
            EntraUser(
                tenant_id=tid,
                user_id=str(u.id),
                upn=str(u.user_principal_name),
                enabled=u.account_enabled,
                user_type=u.user_type,
                mfa_registered=mfa.get(str(u.id)),
                directory_roles=roles.get(str(u.id), ()),
            )
            for u in users
        ),
        key=lambda u: u.upn,
    )


@resource(
    "azure_tenant_roles",
    scope="tenant",
    permissions=[ROLES_READ],
    resource_type="Azure::Entra::Tenant",
)
def azure_tenant_roles(
    azure_tenant: AzureTenant, azure_clients: AzureClients, azure_entra_users: list[EntraUser]
) -> TenantRoles:
    """Members of each activated directory role."""
    members: dict[str, list[str]] = {}
    for u in azure_entra_users:
        for r in u.directory_roles:
            members.setdefault(r, []).append(u.upn)
    return TenantRoles(
        tenant_id=azure_tenant.tenant_id,
        members={k: tuple(sorted(v)) for k, v in sorted(members.items())},
    )


def _policy(p: Any) -> ConditionalAccessPolicy:
    cond = p.conditions
    users = cond.users if cond else None
    apps = cond.applications if cond else None
    grant = p.grant_controls
    strength = getattr(grant, "authentication_strength", None) if grant else None
    state = p.state
    return ConditionalAccessPolicy(
        name=str(p.display_name),
        state=str(getattr(state, "value", state)),
        include_users=tuple(users.include_users or ()) if users else (),
        exclude_users=tuple(users.exclude_users or ()) if users else (),
        exclude_groups=tuple(users.exclude_groups or ()) if users else (),
        exclude_roles=tuple(users.exclude_roles or ()) if users else (),
        include_applications=tuple(apps.include_applications or ()) if apps else (),
        exclude_applications=tuple(apps.exclude_applications or ()) if apps else (),
        built_in_controls=tuple(
            str(getattr(c, "value", c)) for c in (grant.built_in_controls or ())
        )
        if grant
        else (),
        authentication_strength=str(strength.display_name) if strength else None,
    )


@resource(
    "azure_tenant_mfa_policy",
    scope="tenant",
    permissions=[POLICY_READ, P1],
    resource_type="Azure::Entra::Tenant",
)
def azure_tenant_mfa_policy(
    azure_tenant: AzureTenant, azure_clients: AzureClients
) -> TenantMfaPolicy:
    """Security defaults; conditional-access policies only when the defaults are off."""
    where = f"tenant {azure_tenant.tenant_id}"
    defaults = azure_clients.run_graph(
        lambda g: g.policies.identity_security_defaults_enforcement_policy.get(),
        "Policy.Read.All",
        where,
    )
    enabled = defaults.is_enabled if defaults is not None else None
    if enabled:
        return TenantMfaPolicy(tenant_id=azure_tenant.tenant_id, security_defaults=True)
    policies = azure_clients.run_graph(
        lambda g: _all(g.identity.conditional_access.policies),
        "Policy.Read.All (conditional access)",
        where,
    )
    return TenantMfaPolicy(
        tenant_id=azure_tenant.tenant_id,
        security_defaults=enabled,
        policies=tuple(sorted((_policy(p) for p in policies), key=lambda p: p.name)),
    )
