"""IAM fixtures: project IAM policies, their members, service accounts and keys.

Requests per project: one ``projects.getIamPolicy`` (Resource Manager v3), one
``serviceAccounts.list`` per page and one ``keys.list`` per service account (IAM v1,
discovery client: the google-cloud-iam admin client is gRPC only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from soc2checks import resource
from soc2checks_gcp.clients import GcpClients
from soc2checks_gcp.models import (
    AuditConfig,
    AuditConfigSource,
    AuditLogConfig,
    EffectiveAuditConfig,
    GcpProject,
    IamBinding,
    IamMember,
    ProjectIamPolicy,
    ServiceAccount,
    ServiceAccountKey,
)

GET_IAM_POLICY = "resourcemanager.projects.getIamPolicy"
FOLDER_IAM = "resourcemanager.folders.getIamPolicy"
ORG_IAM = "resourcemanager.organizations.getIamPolicy"
SA_LIST = "iam.serviceAccounts.list"
KEYS_LIST = "iam.serviceAccountKeys.list"

_LOG_TYPES = {0: "LOG_TYPE_UNSPECIFIED", 1: "ADMIN_READ", 2: "DATA_WRITE", 3: "DATA_READ"}


def parse_policy(project_id: str, policy: Any) -> ProjectIamPolicy:
    """A ``google.iam.v1.Policy`` message as a :class:`ProjectIamPolicy`."""
    bindings = tuple(
        IamBinding(
            role=b.role,
            members=tuple(sorted(b.members)),
            condition=(b.condition.title or b.condition.expression or None)
            if b.condition and (b.condition.title or b.condition.expression)
            else None,
        )
        for b in policy.bindings
    )
    audit = tuple(
        AuditConfig(
            service=a.service,
            log_configs=tuple(
                AuditLogConfig(
                    log_type=_LOG_TYPES.get(int(c.log_type), str(c.log_type)),
                    exempted_members=tuple(sorted(c.exempted_members)),
                )
                for c in a.audit_log_configs
            ),
        )
        for a in policy.audit_configs
    )
    return ProjectIamPolicy(project_id=project_id, bindings=bindings, audit_configs=audit)


@resource(
    "gcp_project_iam_policy",
    scope="project",
    permissions=[GET_IAM_POLICY],
    resource_type="GCP::IAM::Policy",
)
def gcp_project_iam_policy(gcp_project: GcpProject, gcp_clients: GcpClients) -> ProjectIamPolicy:
    """The project's IAM policy (bindings and audit configs), policy version 3."""
    client = gcp_clients.resource_manager("Projects")
    where = f"projects/{gcp_project.project_id}"
    policy = gcp_clients.call(
        lambda: client.get_iam_policy(
            request={"resource": where, "options": {"requested_policy_version": 3}}, retry=None
        ),
        GET_IAM_POLICY,
        where,
    )
    return parse_policy(gcp_project.project_id, policy)


@resource(
    "gcp_effective_audit_config",
    scope="project",
    permissions=[GET_IAM_POLICY, FOLDER_IAM, ORG_IAM],
    resource_type="GCP::IAM::AuditConfig",
)
def gcp_effective_audit_config(
    gcp_project: GcpProject, gcp_project_iam_policy: ProjectIamPolicy, gcp_clients: GcpClients
) -> EffectiveAuditConfig:
    """The project's audit configs with those of its folders and organization.

    Each folder's and the organization's policy is read once per run, however many
    projects sit below it.
    """
    sources = [
        AuditConfigSource(
            resource=f"projects/{gcp_project.project_id}",
            audit_configs=gcp_project_iam_policy.audit_configs,
        )
    ]
    for ancestor in gcp_project.ancestors:
        kind = "Folders" if ancestor.startswith("folders/") else "Organizations"
        permission = FOLDER_IAM if kind == "Folders" else ORG_IAM

        def fetch(name: str = ancestor, kind: str = kind, permission: str = permission) -> Any:
            client = gcp_clients.resource_manager(kind)
            return gcp_clients.call(
                lambda: client.get_iam_policy(request={"resource": name}, retry=None),
                permission,
                name,
            )

        policy = gcp_clients.once(f"iam:{ancestor}", fetch)
        parsed = parse_policy(gcp_project.project_id, policy)
        sources.append(AuditConfigSource(resource=ancestor, audit_configs=parsed.audit_configs))
    return EffectiveAuditConfig(project_id=gcp_project.project_id, sources=tuple(sources))


def members_of(policy: ProjectIamPolicy) -> list[IamMember]:
    """One :class:`IamMember` per principal of ``policy``, with its roles, sorted."""
    roles: dict[str, set[str]] = {}
    conditional: dict[str, set[str]] = {}
    for b in policy.bindings:
        for m in b.members:
            (conditional if b.condition else roles).setdefault(m, set()).add(b.role)
            roles.setdefault(m, set())
    return [
        IamMember(
            project_id=policy.project_id,
            member=m,
            roles=tuple(sorted(roles[m])),
            conditional_roles=tuple(sorted(conditional.get(m, ()))),
        )
        for m in sorted(roles)
    ]


@resource(
    "gcp_iam_members",
    scope="project",
    permissions=[GET_IAM_POLICY],
    resource_type="GCP::IAM::Member",
)
def gcp_iam_members(gcp_project_iam_policy: ProjectIamPolicy) -> list[IamMember]:
    """Each principal bound in the project's IAM policy, with the roles it holds there."""
    return members_of(gcp_project_iam_policy)


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _all_pages(
    clients: GcpClients, make: Any, key: str, permission: str, where: str
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = clients.execute(make(token), permission, where)
        items.extend(page.get(key) or [])
        token = page.get("nextPageToken")
        if not token:
            return items


@resource(
    "gcp_service_accounts",
    scope="project",
    permissions=[SA_LIST, KEYS_LIST, GET_IAM_POLICY],
    resource_type="GCP::IAM::ServiceAccount",
)
def gcp_service_accounts(
    gcp_project: GcpProject, gcp_clients: GcpClients, gcp_project_iam_policy: ProjectIamPolicy
) -> list[ServiceAccount]:
    """The project's service accounts with their user-managed keys and project roles."""
    iam = gcp_clients.discovery("iam", "v1")
    where = f"projects/{gcp_project.project_id}"
    accounts = _all_pages(
        gcp_clients,
        lambda t: iam.projects().serviceAccounts().list(name=where, pageToken=t, pageSize=100),
        "accounts",
        SA_LIST,
        where,
    )
    roles = {m.member: m.roles for m in members_of(gcp_project_iam_policy)}
    out: list[ServiceAccount] = []
    for a in sorted(accounts, key=lambda a: a["email"]):
        name = a.get("name") or f"{where}/serviceAccounts/{a['email']}"
        page = gcp_clients.execute(
            iam.projects().serviceAccounts().keys().list(name=name, keyTypes="USER_MANAGED"),
            KEYS_LIST,
            name,
        )
        keys = tuple(
            ServiceAccountKey(
                key_id=k["name"].rsplit("/", 1)[-1],
                created=_time(k.get("validAfterTime")),
                disabled=bool(k.get("disabled", False)),
            )
            for k in page.get("keys") or []
            if k.get("keyType", "USER_MANAGED") == "USER_MANAGED"
        )
        out.append(
            ServiceAccount(
                project_id=gcp_project.project_id,
                email=a["email"],
                disabled=bool(a.get("disabled", False)),
                user_managed_keys=keys,
                project_roles=roles.get(f"serviceAccount:{a['email']}", ()),
            )
        )
    return out
