"""Azure Resource Manager fixtures: one list call per subscription and resource type.

Per subscription: role assignments, classic administrators, storage accounts (plus
the blob service of each account, for soft delete), network security groups, key
vaults (plus each vault's keys, through ARM: no data-plane access), subscription
diagnostic settings, Defender plans, SQL servers (plus each server's auditing settings
and databases, and each database's TDE state), managed disks. A denied call fails the
fixture for that subscription only: its checks become ``error`` findings naming the
RBAC action, and the other subscriptions go on.
"""

from __future__ import annotations

import functools
from typing import Any

from soc2checks import resource
from soc2checks.fetching import bounded_map
from soc2checks_azure.clients import AzureClients, rest
from soc2checks_azure.errors import call
from soc2checks_azure.models import (
    ActivityLogExport,
    AzureSubscription,
    BlobSoftDelete,
    ClassicAdministrators,
    DefenderPlans,
    KeyVault,
    ManagedDisk,
    NsgRule,
    RoleAssignments,
    SqlDatabase,
    SqlServer,
    StorageAccount,
    VaultKey,
)

OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"


def _rg(resource_id: str) -> str:
    parts = resource_id.split("/")
    return parts[4] if len(parts) > 4 and parts[3].lower() == "resourcegroups" else ""


def _rest_of(get: Any) -> dict[str, Any]:
    return rest(get())


def _list(
    clients: AzureClients, pager: Any, action: str, sub: AzureSubscription
) -> list[dict[str, Any]]:
    return call(lambda: [rest(x) for x in pager()], action, sub.resource_id)


@resource(
    "azure_role_assignments",
    scope="subscription",
    permissions=["Microsoft.Authorization/roleAssignments/read"],
    resource_type="Azure::Subscription",
)
def azure_role_assignments(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> RoleAssignments:
    """Owner assignments at the subscription scope itself (one per principal)."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("authorization", "AuthorizationManagementClient", sid)
    items = _list(
        azure_clients,
        lambda: client.role_assignments.list_for_subscription(),
        "Microsoft.Authorization/roleAssignments/read",
        azure_subscription,
    )
    scope = f"/subscriptions/{sid}".lower()
    owners = sorted(
        {
            str(p.get("principalId"))
            for a in items
            for p in [a.get("properties") or {}]
            if str(p.get("scope", "")).lower() == scope
            and str(p.get("roleDefinitionId", "")).lower().endswith(OWNER_ROLE)
        }
    )
    return RoleAssignments(subscription_id=sid, owners=tuple(owners))


@resource(
    "azure_classic_admins",
    scope="subscription",
    permissions=["Microsoft.Authorization/classicAdministrators/read"],
    resource_type="Azure::Subscription",
)
def azure_classic_admins(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> ClassicAdministrators:
    """Classic (ASM) co-administrators of the subscription."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("authorization", "AuthorizationManagementClient", sid)
    items = _list(
        azure_clients,
        lambda: client.classic_administrators.list(),
        "Microsoft.Authorization/classicAdministrators/read",
        azure_subscription,
    )
    co = sorted(
        str((a.get("properties") or {}).get("emailAddress", a.get("name")))
        for a in items
        if "coadministrator" in str((a.get("properties") or {}).get("role", "")).lower()
    )
    return ClassicAdministrators(subscription_id=sid, co_administrators=tuple(co))


@resource(
    "azure_storage_accounts",
    scope="subscription",
    permissions=["Microsoft.Storage/storageAccounts/read"],
    resource_type="Azure::Storage::Account",
)
def azure_storage_accounts(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> list[StorageAccount]:
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("storage", "StorageManagementClient", sid)
    items = _list(
        azure_clients,
        lambda: client.storage_accounts.list(),
        "Microsoft.Storage/storageAccounts/read",
        azure_subscription,
    )
    out = []
    for a in items:
        p = a.get("properties") or {}
        enc = p.get("encryption")
        out.append(
            StorageAccount(
                subscription_id=sid,
                id=str(a["id"]),
                name=str(a["name"]),
                https_only=p.get("supportsHttpsTrafficOnly"),
                minimum_tls_version=p.get("minimumTlsVersion"),
                allow_blob_public_access=p.get("allowBlobPublicAccess"),
                infrastructure_encryption=(enc or {}).get("requireInfrastructureEncryption", False)
                if enc is not None
                else None,
                key_source=(enc or {}).get("keySource"),
            )
        )
    return sorted(out, key=lambda a: a.id)


@resource(
    "azure_blob_soft_delete",
    scope="subscription",
    permissions=[
        "Microsoft.Storage/storageAccounts/read",
        "Microsoft.Storage/storageAccounts/blobServices/read",
    ],
    resource_type="Azure::Storage::BlobService",
)
def azure_blob_soft_delete(
    azure_subscription: AzureSubscription,
    azure_clients: AzureClients,
    azure_storage_accounts: list[StorageAccount],
) -> list[BlobSoftDelete]:
    """Each storage account's blob service soft-delete policy (one request per account)."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("storage", "StorageManagementClient", sid)

    def one(a: StorageAccount) -> BlobSoftDelete:
        props = call(
            lambda: rest(client.blob_services.get_service_properties(_rg(a.id), a.name)),
            "Microsoft.Storage/storageAccounts/blobServices/read",
            a.id,
        )
        policy = (props.get("properties") or {}).get("deleteRetentionPolicy")
        return BlobSoftDelete(
            subscription_id=sid,
            id=f"{a.id}/blobServices/default",
            account=a.name,
            enabled=policy.get("enabled") if policy is not None else None,
            days=policy.get("days") if policy is not None else None,
        )

    return bounded_map(one, azure_storage_accounts, azure_clients.settings.max_workers, name="az")


@resource(
    "azure_nsg_rules",
    scope="subscription",
    permissions=["Microsoft.Network/networkSecurityGroups/read"],
    resource_type="Azure::Network::SecurityRule",
)
def azure_nsg_rules(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> list[NsgRule]:
    """Every inbound ``Allow`` rule of every network security group."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("network", "NetworkManagementClient", sid)
    groups = _list(
        azure_clients,
        lambda: client.network_security_groups.list_all(),
        "Microsoft.Network/networkSecurityGroups/read",
        azure_subscription,
    )
    out = []
    for g in groups:
        for r in (g.get("properties") or {}).get("securityRules") or []:
            p = r.get("properties") or {}
            if str(p.get("direction", "")).lower() != "inbound":
                continue
            if str(p.get("access", "")).lower() != "allow":
                continue
            sources = [p["sourceAddressPrefix"]] if p.get("sourceAddressPrefix") else []
            sources += list(p.get("sourceAddressPrefixes") or [])
            ports = [p["destinationPortRange"]] if p.get("destinationPortRange") else []
            ports += list(p.get("destinationPortRanges") or [])
            out.append(
                NsgRule(
                    subscription_id=sid,
                    id=str(r["id"]),
                    nsg=str(g["name"]),
                    name=str(r["name"]),
                    protocol=str(p.get("protocol", "*")),
                    sources=tuple(sources),
                    ports=tuple(ports),
                )
            )
    return sorted(out, key=lambda r: r.id)


@resource(
    "azure_key_vaults",
    scope="subscription",
    permissions=["Microsoft.KeyVault/vaults/read"],
    resource_type="Azure::KeyVault::Vault",
)
def azure_key_vaults(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> list[KeyVault]:
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("keyvault", "KeyVaultManagementClient", sid)
    items = _list(
        azure_clients,
        lambda: client.vaults.list_by_subscription(),
        "Microsoft.KeyVault/vaults/read",
        azure_subscription,
    )
    return sorted(
        (
            KeyVault(
                subscription_id=sid,
                id=str(v["id"]),
                name=str(v["name"]),
                soft_delete=(v.get("properties") or {}).get("enableSoftDelete"),
                purge_protection=bool((v.get("properties") or {}).get("enablePurgeProtection")),
            )
            for v in items
        ),
        key=lambda v: v.id,
    )


@resource(
    "azure_vault_keys",
    scope="subscription",
    permissions=["Microsoft.KeyVault/vaults/read", "Microsoft.KeyVault/vaults/keys/read"],
    resource_type="Azure::KeyVault::Key",
)
def azure_vault_keys(
    azure_subscription: AzureSubscription,
    azure_clients: AzureClients,
    azure_key_vaults: list[KeyVault],
) -> list[VaultKey]:
    """Every key of every vault with its rotation policy, through ARM (one list per vault)."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("keyvault", "KeyVaultManagementClient", sid)

    def keys(v: KeyVault) -> list[VaultKey]:
        items = call(
            lambda: [rest(k) for k in client.keys.list(_rg(v.id), v.name)],
            "Microsoft.KeyVault/vaults/keys/read",
            v.id,
        )
        out = []
        for k in items:
            policy = (k.get("properties") or {}).get("rotationPolicy")
            actions = (
                tuple(
                    str((a.get("action") or {}).get("type", "")).lower()
                    for a in policy.get("lifetimeActions") or []
                )
                if policy
                else None
            )
            out.append(
                VaultKey(
                    subscription_id=sid,
                    id=str(k["id"]),
                    vault=v.name,
                    name=str(k["name"]),
                    rotation_actions=actions,
                )
            )
        return out

    groups = bounded_map(keys, azure_key_vaults, azure_clients.settings.max_workers, name="az")
    return sorted((k for g in groups for k in g), key=lambda k: k.id)


@resource(
    "azure_activity_log_export",
    scope="subscription",
    permissions=["Microsoft.Insights/DiagnosticSettings/Read"],
    resource_type="Azure::Subscription",
)
def azure_activity_log_export(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> ActivityLogExport:
    """Subscription diagnostic settings (azure-mgmt-monitor 6: version 7 dropped them)."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("monitor", "MonitorManagementClient", sid)

    def listed() -> list[dict[str, Any]]:
        got = client.subscription_diagnostic_settings.list()
        if hasattr(got, "value"):  # a collection object (older azure-mgmt-monitor 6.x)
            return [rest(x) for x in got.value or []]
        return [rest(x) for x in got]  # a pager

    items = call(
        listed, "Microsoft.Insights/DiagnosticSettings/Read", azure_subscription.resource_id
    )
    settings: dict[str, tuple[str, ...]] = {}
    for item in items:
        logs = (item.get("properties") or {}).get("logs") or []
        settings[str(item.get("name"))] = tuple(
            sorted(str(x.get("category")) for x in logs if x.get("enabled"))
        )
    return ActivityLogExport(subscription_id=sid, settings=dict(sorted(settings.items())))


@resource(
    "azure_defender_plans",
    scope="subscription",
    permissions=["Microsoft.Security/pricings/read"],
    resource_type="Azure::Subscription",
)
def azure_defender_plans(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> DefenderPlans:
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("security", "SecurityCenter", sid)
    got = call(
        lambda: rest(client.pricings.list(scope_id=f"subscriptions/{sid}")),
        "Microsoft.Security/pricings/read",
        azure_subscription.resource_id,
    )
    tiers = {
        str(p.get("name")): str((p.get("properties") or {}).get("pricingTier", ""))
        for p in got.get("value") or []
    }
    return DefenderPlans(subscription_id=sid, tiers=dict(sorted(tiers.items())))


@resource(
    "azure_sql_server_list",
    scope="subscription",
    permissions=["Microsoft.Sql/servers/read"],
    resource_type="Azure::SQL::Server",
)
def azure_sql_server_list(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> list[SqlServer]:
    """The subscription's SQL servers (listed once, shared by the SQL fixtures)."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("sql", "SqlManagementClient", sid)
    servers = _list(
        azure_clients,
        lambda: client.servers.list(),
        "Microsoft.Sql/servers/read",
        azure_subscription,
    )
    return sorted(
        (
            SqlServer(
                subscription_id=sid, id=str(x["id"]), name=str(x["name"]), auditing_state=None
            )
            for x in servers
        ),
        key=lambda x: x.id,
    )


@resource(
    "azure_sql_servers",
    scope="subscription",
    permissions=["Microsoft.Sql/servers/read", "Microsoft.Sql/servers/auditingSettings/read"],
    resource_type="Azure::SQL::Server",
)
def azure_sql_servers(
    azure_subscription: AzureSubscription,
    azure_clients: AzureClients,
    azure_sql_server_list: list[SqlServer],
) -> list[SqlServer]:
    """SQL servers with their server auditing state (one request per server)."""
    client = azure_clients.arm("sql", "SqlManagementClient", azure_subscription.subscription_id)

    def one(s: SqlServer) -> SqlServer:
        got = call(
            lambda: rest(client.server_blob_auditing_policies.get(_rg(s.id), s.name)),
            "Microsoft.Sql/servers/auditingSettings/read",
            s.id,
        )
        return s.model_copy(update={"auditing_state": (got.get("properties") or {}).get("state")})

    return bounded_map(one, azure_sql_server_list, azure_clients.settings.max_workers, name="az")


@resource(
    "azure_sql_databases",
    scope="subscription",
    permissions=[
        "Microsoft.Sql/servers/read",
        "Microsoft.Sql/servers/databases/read",
        "Microsoft.Sql/servers/databases/transparentDataEncryption/read",
    ],
    resource_type="Azure::SQL::Database",
)
def azure_sql_databases(
    azure_subscription: AzureSubscription,
    azure_clients: AzureClients,
    azure_sql_server_list: list[SqlServer],
) -> list[SqlDatabase]:
    """User databases (``master`` left out) with their TDE state."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("sql", "SqlManagementClient", sid)

    def dbs(s: SqlServer) -> list[SqlDatabase]:
        rg = _rg(s.id)
        items = call(
            lambda: [rest(d) for d in client.databases.list_by_server(rg, s.name)],
            "Microsoft.Sql/servers/databases/read",
            s.id,
        )
        out = []
        for d in items:
            if d["name"] == "master":
                continue
            get_tde = functools.partial(
                client.transparent_data_encryptions.get, rg, s.name, d["name"], "current"
            )
            tde = call(
                functools.partial(_rest_of, get_tde),
                "Microsoft.Sql/servers/databases/transparentDataEncryption/read",
                d["id"],
            )
            out.append(
                SqlDatabase(
                    subscription_id=sid,
                    id=str(d["id"]),
                    server=s.name,
                    name=str(d["name"]),
                    tde_state=(tde.get("properties") or {}).get("state"),
                )
            )
        return out

    groups = bounded_map(dbs, azure_sql_server_list, azure_clients.settings.max_workers, name="az")
    return sorted((d for g in groups for d in g), key=lambda d: d.id)


@resource(
    "azure_disks",
    scope="subscription",
    permissions=["Microsoft.Compute/disks/read"],
    resource_type="Azure::Compute::Disk",
)
def azure_disks(
    azure_subscription: AzureSubscription, azure_clients: AzureClients
) -> list[ManagedDisk]:
    """Every managed disk, attached or not, with its encryption type."""
    sid = azure_subscription.subscription_id
    client = azure_clients.arm("compute", "ComputeManagementClient", sid)
    items = _list(
        azure_clients,
        lambda: client.disks.list(),
        "Microsoft.Compute/disks/read",
        azure_subscription,
    )
    out = []
    for d in items:
        enc = (d.get("properties") or {}).get("encryption")
        out.append(
            ManagedDisk(
                subscription_id=sid,
                id=str(d["id"]),
                name=str(d["name"]),
                encryption_type=(enc or {}).get("type") if enc is not None else None,
                disk_encryption_set=(enc or {}).get("diskEncryptionSetId"),
            )
        )
    return sorted(out, key=lambda d: d.id)
