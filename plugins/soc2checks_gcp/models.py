"""Typed GCP resources, as the checks see them. Plain pydantic: no SDK in here.

Every model has a ``resource_id`` (the resource's full resource name, as Cloud Asset
Inventory writes it) and round-trips through JSON. A field the API did not return is
``None``; the checks treat ``None`` as "cannot judge" (an ``error`` finding), never as
a pass.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

CRM = "//cloudresourcemanager.googleapis.com"


class GcpModel(BaseModel):
    model_config = ConfigDict(frozen=True)


def require(value: object, what: str, where: str) -> None:
    """Raise (an ``error`` finding) when the API left ``what`` out of ``where``."""
    if value is None:
        raise LookupError(f"Google did not return {what} for {where}: cannot judge")


# -- scopes ---------------------------------------------------------------------


class GcpProject(GcpModel):
    """One ACTIVE project in scope, with where it sits in the resource hierarchy."""

    project_id: str
    number: str = ""
    parent: str = ""
    folder_path: tuple[str, ...] = ()
    organization: str | None = None
    ancestors: tuple[str, ...] = ()  # parent first: "folders/…", …, "organizations/…"

    @property
    def resource_id(self) -> str:
        return f"{CRM}/projects/{self.project_id}"

    @property
    def resource_type(self) -> str:
        return "GCP::Project"

    @property
    def scope_key(self) -> dict[str, str]:
        return {"project": self.project_id}


# -- IAM ------------------------------------------------------------------------


class IamBinding(GcpModel):
    role: str
    members: tuple[str, ...]
    condition: str | None = None  # the condition's title or expression


class AuditLogConfig(GcpModel):
    log_type: str
    exempted_members: tuple[str, ...] = ()


class AuditConfig(GcpModel):
    service: str
    log_configs: tuple[AuditLogConfig, ...] = ()


class ProjectIamPolicy(GcpModel):
    """``projects.getIamPolicy``: bindings and Data Access audit configuration."""

    project_id: str
    bindings: tuple[IamBinding, ...] = ()
    audit_configs: tuple[AuditConfig, ...] = ()

    @property
    def resource_id(self) -> str:
        return f"{CRM}/projects/{self.project_id}"


class AuditConfigSource(GcpModel):
    resource: str  # "projects/p", "folders/1", "organizations/1"
    audit_configs: tuple[AuditConfig, ...] = ()


class EffectiveAuditConfig(GcpModel):
    """A project's audit configs together with those it inherits from folders and org.

    Google merges them: a log type enabled at any level is enabled, and a member
    exempted at any level is exempted.
    """

    project_id: str
    sources: tuple[AuditConfigSource, ...]

    def enabled(self, service: str = "allServices") -> dict[str, tuple[str, ...]]:
        """Log type -> exempted members, for ``service``, over every level."""
        found: dict[str, set[str]] = {}
        for src in self.sources:
            for a in src.audit_configs:
                if a.service != service:
                    continue
                for c in a.log_configs:
                    found.setdefault(c.log_type, set()).update(c.exempted_members)
        return {k: tuple(sorted(v)) for k, v in sorted(found.items())}

    @property
    def resource_id(self) -> str:
        return f"{CRM}/projects/{self.project_id}"


class IamMember(GcpModel):
    """One principal of a project's IAM policy with the roles bound to it there."""

    project_id: str
    member: str  # "user:a@example.com", "group:…", "serviceAccount:…", "domain:…"
    roles: tuple[str, ...]
    conditional_roles: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.member.split(":", 1)[0]

    @property
    def domain(self) -> str | None:
        _, _, ident = self.member.partition(":")
        if self.kind == "domain":
            return ident.lower()
        return ident.rsplit("@", 1)[1].lower() if "@" in ident else None

    @property
    def resource_id(self) -> str:
        return f"{CRM}/projects/{self.project_id}/members/{self.member}"


class ServiceAccountKey(GcpModel):
    key_id: str
    created: dt.datetime | None
    disabled: bool = False


class ServiceAccount(GcpModel):
    """A service account of the project, its user-managed keys and its project roles."""

    project_id: str
    email: str
    disabled: bool = False
    user_managed_keys: tuple[ServiceAccountKey, ...] = ()
    project_roles: tuple[str, ...] = ()

    @property
    def resource_id(self) -> str:
        return f"//iam.googleapis.com/projects/{self.project_id}/serviceAccounts/{self.email}"


# -- logging --------------------------------------------------------------------


class LogSink(GcpModel):
    name: str
    destination: str
    filter: str = ""
    disabled: bool = False


class ProjectLogSinks(GcpModel):
    project_id: str
    sinks: tuple[LogSink, ...] = ()

    @property
    def resource_id(self) -> str:
        return f"{CRM}/projects/{self.project_id}"


# -- storage --------------------------------------------------------------------


class Bucket(GcpModel):
    project_id: str
    name: str
    uniform_access: bool | None
    public_access_prevention: str | None
    versioning: bool
    retention_seconds: int | None = None
    iam_bindings: tuple[IamBinding, ...] | None = None
    iam_error: str | None = None

    @property
    def resource_id(self) -> str:
        return f"//storage.googleapis.com/projects/_/buckets/{self.name}"


# -- KMS ------------------------------------------------------------------------


class CryptoKey(GcpModel):
    project_id: str
    name: str  # projects/P/locations/L/keyRings/R/cryptoKeys/K
    purpose: str
    primary_state: str | None = None
    rotation_period_seconds: int | None = None

    @property
    def resource_id(self) -> str:
        return f"//cloudkms.googleapis.com/{self.name}"


# -- compute --------------------------------------------------------------------


class FirewallAllow(GcpModel):
    protocol: str
    ports: tuple[str, ...] = ()  # empty = every port


class Firewall(GcpModel):
    project_id: str
    name: str
    direction: str
    disabled: bool
    source_ranges: tuple[str, ...] = ()
    allowed: tuple[FirewallAllow, ...] = ()

    @property
    def resource_id(self) -> str:
        return f"//compute.googleapis.com/projects/{self.project_id}/global/firewalls/{self.name}"


class ProjectMetadata(GcpModel):
    """Compute Engine project-wide metadata (``commonInstanceMetadata``)."""

    project_id: str
    items: dict[str, str]

    @property
    def resource_id(self) -> str:
        return f"//compute.googleapis.com/projects/{self.project_id}"


# -- Cloud SQL --------------------------------------------------------------------


class SqlInstance(GcpModel):
    project_id: str
    name: str
    instance_type: str
    ipv4_enabled: bool | None
    authorized_networks: tuple[str, ...] = ()
    ssl_mode: str | None = None
    require_ssl: bool | None = None
    backups_enabled: bool | None = None

    @property
    def is_replica(self) -> bool:
        return self.instance_type == "READ_REPLICA_INSTANCE"

    @property
    def resource_id(self) -> str:
        return f"//cloudsql.googleapis.com/projects/{self.project_id}/instances/{self.name}"
