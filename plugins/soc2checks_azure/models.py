"""Typed Azure and Entra ID resources, as the checks see them. Plain pydantic: no SDK.

A field the API did not return is ``None``; the checks treat ``None`` as "cannot
judge" (an ``error`` finding), never as a pass.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class AzureModel(BaseModel):
    model_config = ConfigDict(frozen=True)


def require(value: object, what: str, where: str) -> None:
    """Raise (an ``error`` finding) when the API left ``what`` out of ``where``."""
    if value is None:
        raise LookupError(f"Azure did not return {what} for {where}: cannot judge")


class AzureSubscription(AzureModel):
    subscription_id: str
    name: str = ""

    @property
    def resource_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}"

    @property
    def resource_type(self) -> str:
        return "Azure::Subscription"

    @property
    def scope_key(self) -> dict[str, str]:
        return {"subscription": self.subscription_id}


class AzureTenant(AzureModel):
    tenant_id: str

    @property
    def resource_id(self) -> str:
        return f"/tenants/{self.tenant_id}"

    @property
    def resource_type(self) -> str:
        return "Azure::Tenant"

    @property
    def scope_key(self) -> dict[str, str]:
        return {"tenant": self.tenant_id}


# -- Entra ID -------------------------------------------------------------------


class EntraUser(AzureModel):
    """A user with their MFA registration (from the registration report) and roles."""

    tenant_id: str
    user_id: str
    upn: str
    enabled: bool | None
    user_type: str | None
    mfa_registered: bool | None  # None: not in the registration report
    directory_roles: tuple[str, ...] = ()

    @property
    def resource_id(self) -> str:
        return f"/tenants/{self.tenant_id}/users/{self.user_id}"


class ConditionalAccessPolicy(AzureModel):
    name: str
    state: str
    include_users: tuple[str, ...] = ()
    exclude_users: tuple[str, ...] = ()
    exclude_groups: tuple[str, ...] = ()
    exclude_roles: tuple[str, ...] = ()
    include_applications: tuple[str, ...] = ()
    exclude_applications: tuple[str, ...] = ()
    built_in_controls: tuple[str, ...] = ()
    authentication_strength: str | None = None


class TenantMfaPolicy(AzureModel):
    """Security defaults, and (when they are off) the conditional-access policies."""

    tenant_id: str
    security_defaults: bool | None
    policies: tuple[ConditionalAccessPolicy, ...] | None = None

    @property
    def resource_id(self) -> str:
        return f"/tenants/{self.tenant_id}"


class TenantRoles(AzureModel):
    """Members of each activated directory role, by display name."""

    tenant_id: str
    members: dict[str, tuple[str, ...]]  # role name -> user principal names

    @property
    def resource_id(self) -> str:
        return f"/tenants/{self.tenant_id}"


# -- subscriptions ----------------------------------------------------------------


class RoleAssignments(AzureModel):
    """Role assignments at the subscription scope (not inherited, not resource-level)."""

    subscription_id: str
    owners: tuple[str, ...]  # principal IDs holding the built-in Owner role

    @property
    def resource_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}"


class ClassicAdministrators(AzureModel):
    subscription_id: str
    co_administrators: tuple[str, ...]

    @property
    def resource_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}"


class StorageAccount(AzureModel):
    subscription_id: str
    id: str
    name: str
    https_only: bool | None
    minimum_tls_version: str | None
    allow_blob_public_access: bool | None
    infrastructure_encryption: bool | None
    key_source: str | None

    @property
    def resource_id(self) -> str:
        return self.id


class BlobSoftDelete(AzureModel):
    subscription_id: str
    id: str
    account: str
    enabled: bool | None
    days: int | None = None

    @property
    def resource_id(self) -> str:
        return self.id


class NsgRule(AzureModel):
    """An inbound allow rule of a network security group."""

    subscription_id: str
    id: str
    nsg: str
    name: str
    protocol: str
    sources: tuple[str, ...]
    ports: tuple[str, ...]

    @property
    def resource_id(self) -> str:
        return self.id


class KeyVault(AzureModel):
    subscription_id: str
    id: str
    name: str
    soft_delete: bool | None
    purge_protection: bool

    @property
    def resource_id(self) -> str:
        return self.id


class VaultKey(AzureModel):
    subscription_id: str
    id: str
    vault: str
    name: str
    rotation_actions: tuple[str, ...] | None  # None: no rotation policy

    @property
    def resource_id(self) -> str:
        return self.id


class ActivityLogExport(AzureModel):
    """Subscription diagnostic settings: the categories each exports."""

    subscription_id: str
    settings: dict[str, tuple[str, ...]]  # setting name -> enabled categories

    @property
    def resource_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}"


class DefenderPlans(AzureModel):
    subscription_id: str
    tiers: dict[str, str]  # plan name -> "Free" | "Standard"

    @property
    def resource_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}"


class SqlServer(AzureModel):
    subscription_id: str
    id: str
    name: str
    auditing_state: str | None

    @property
    def resource_id(self) -> str:
        return self.id


class SqlDatabase(AzureModel):
    subscription_id: str
    id: str
    server: str
    name: str
    tde_state: str | None

    @property
    def resource_id(self) -> str:
        return self.id


class ManagedDisk(AzureModel):
    subscription_id: str
    id: str
    name: str
    encryption_type: str | None
    disk_encryption_set: str | None = None

    @property
    def resource_id(self) -> str:
        return self.id
