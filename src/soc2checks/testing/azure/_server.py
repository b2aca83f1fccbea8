"""A small stateful fake of Azure Resource Manager and Microsoft Graph v1.0.

One loopback server answers both: ARM under ``/subscriptions…`` (``base_url``) and
Graph under ``/v1.0`` (``graph_url``). Only what the azure provider reads is served,
with the services' semantics: ``api-version`` required on ARM (400
``MissingApiVersionParameter``), ``nextLink`` / ``@odata.nextLink`` paging, bearer token
required (401), 403 ``AuthorizationFailed`` naming the RBAC action and scope, Graph 403
``Authorization_RequestDenied``, the licence error of P1-only APIs on a tenant without
Entra ID P1, 404 ``SubscriptionNotFound``, and 429 with ``Retry-After``. Answer shapes
follow the published API descriptions (a test checks them against the SDKs' models,
which are generated from azure-rest-api-specs and Graph's metadata).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from soc2checks.testing._loopback import LoopbackServer, Request, Response
from soc2checks.testing.azure._world import _uid, normalize

TOKEN = "fake-azure-token"
OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
SUB = "/subscriptions/{subscription}"
RG = SUB + "/resourceGroups/{group}/providers"
TDE = RG + "/Microsoft.Sql/servers/{server}/databases/{database}/transparentDataEncryption/current"

# route -> required permission (RBAC action for ARM, Graph permission for Graph)
ARM: dict[str, str] = {
    "/subscriptions": "Microsoft.Resources/subscriptions/read",
    SUB + "/providers/Microsoft.Authorization/roleAssignments": (
        "Microsoft.Authorization/roleAssignments/read"
    ),
    SUB + "/providers/Microsoft.Authorization/classicAdministrators": (
        "Microsoft.Authorization/classicAdministrators/read"
    ),
    SUB + "/providers/Microsoft.Storage/storageAccounts": "Microsoft.Storage/storageAccounts/read",
    RG + "/Microsoft.Storage/storageAccounts/{account}/blobServices/default": (
        "Microsoft.Storage/storageAccounts/blobServices/read"
    ),
    SUB + "/providers/Microsoft.Network/networkSecurityGroups": (
        "Microsoft.Network/networkSecurityGroups/read"
    ),
    SUB + "/providers/Microsoft.KeyVault/vaults": "Microsoft.KeyVault/vaults/read",
    RG + "/Microsoft.KeyVault/vaults/{vault}/keys": "Microsoft.KeyVault/vaults/keys/read",
    SUB + "/providers/Microsoft.Insights/diagnosticSettings": (
        "Microsoft.Insights/DiagnosticSettings/Read"
    ),
    SUB + "/providers/Microsoft.Security/pricings": "Microsoft.Security/pricings/read",
    SUB + "/providers/Microsoft.Sql/servers": "Microsoft.Sql/servers/read",
    RG + "/Microsoft.Sql/servers/{server}/auditingSettings/default": (
        "Microsoft.Sql/servers/auditingSettings/read"
    ),
    RG + "/Microsoft.Sql/servers/{server}/databases": "Microsoft.Sql/servers/databases/read",
    TDE: ("Microsoft.Sql/servers/databases/transparentDataEncryption/read"),
    SUB + "/providers/Microsoft.Compute/disks": "Microsoft.Compute/disks/read",
}
GRAPH: dict[str, str] = {
    "/v1.0/users": "User.Read.All",
    "/v1.0/reports/authenticationMethods/userRegistrationDetails": "AuditLog.Read.All",
    "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy": "Policy.Read.All",
    "/v1.0/identity/conditionalAccess/policies": "Policy.Read.All",
    "/v1.0/directoryRoles": "RoleManagement.Read.Directory",
    "/v1.0/directoryRoles/{role}/members": "RoleManagement.Read.Directory",
}
PREMIUM_ONLY = {
    "/v1.0/reports/authenticationMethods/userRegistrationDetails",
    "/v1.0/identity/conditionalAccess/policies",
}
ROLE_TEMPLATES = {
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
    "SharePoint Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    "Conditional Access Administrator": "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
    "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
}


def arm_error(status: int, code: str, message: str, **headers: str) -> Response:
    return Response(status, {"error": {"code": code, "message": message}}, dict(headers))


def graph_error(status: int, code: str, message: str) -> Response:
    inner = {"date": "2026-01-01T00:00:00", "request-id": "0", "client-request-id": "0"}
    return Response(status, {"error": {"code": code, "message": message, "innerError": inner}})


class FakeAzure(LoopbackServer):
    """A fake of ARM and Microsoft Graph seeded from a world (see :mod:`._world`)."""

    server_name = "FakeAzure/1.0"

    def __init__(self, world: dict[str, Any], *, delay: float = 0.0) -> None:
        super().__init__(delay=delay)
        self.world = normalize(world)
        self.token = TOKEN
        self._throttle: list[int] = []
        self._tlock = threading.Lock()
        handlers: dict[str, Callable[[Request], Response]] = {
            "/subscriptions": self._subscriptions,
            SUB + "/providers/Microsoft.Authorization/roleAssignments": self._role_assignments,
            SUB + "/providers/Microsoft.Authorization/classicAdministrators": self._classic,
            SUB + "/providers/Microsoft.Storage/storageAccounts": self._storage_accounts,
            RG + "/Microsoft.Storage/storageAccounts/{account}/blobServices/default": self._blob,
            SUB + "/providers/Microsoft.Network/networkSecurityGroups": self._nsgs,
            SUB + "/providers/Microsoft.KeyVault/vaults": self._vaults,
            RG + "/Microsoft.KeyVault/vaults/{vault}/keys": self._keys,
            SUB + "/providers/Microsoft.Insights/diagnosticSettings": self._diagnostics,
            SUB + "/providers/Microsoft.Security/pricings": self._pricings,
            SUB + "/providers/Microsoft.Sql/servers": self._sql_servers,
            RG + "/Microsoft.Sql/servers/{server}/auditingSettings/default": self._auditing,
            RG + "/Microsoft.Sql/servers/{server}/databases": self._databases,
            TDE: self._tde,
            SUB + "/providers/Microsoft.Compute/disks": self._disks,
            "/v1.0/users": self._users,
            "/v1.0/reports/authenticationMethods/userRegistrationDetails": self._registration,
            "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy": self._security_defaults,
            "/v1.0/identity/conditionalAccess/policies": self._ca_policies,
            "/v1.0/directoryRoles": self._directory_roles,
            "/v1.0/directoryRoles/{role}/members": self._role_members,
        }
        for template, handler in handlers.items():
            self.route("GET", template, handler)

    @property
    def graph_url(self) -> str:
        """The Graph base URL to configure (``…/v1.0``)."""
        return f"{self.base_url}/v1.0"

    # ------------------------------------------------------------ test switches
    def throttle(self, times: int = 1, *, retry_after: int = 0) -> None:
        """Answer the next ``times`` requests with 429 and ``Retry-After``."""
        with self._tlock:
            self._throttle.extend([retry_after] * times)

    def deny(self, permission: str, subscription: str | None = None) -> None:
        """Take an RBAC action away in one subscription, or a Graph permission."""
        if subscription is None:
            self.world["tenant"]["denied"].append(permission)
            return
        for s in self.world["subscriptions"]:
            if subscription in (s["id"], s["name"]):
                s["denied"].append(permission)

    # ----------------------------------------------------------------- plumbing
    def _sub(self, request: Request) -> dict[str, Any] | None:
        sid = request.params.get("subscription")
        for s in self.world["subscriptions"]:
            if s["id"] == sid:
                return s  # type: ignore[no-any-return]
        return None

    def before(self, template: str, request: Request) -> Response | None:
        with self._tlock:
            wait = self._throttle.pop(0) if self._throttle else None
        graph = template.startswith("/v1.0")
        if wait is not None:
            if graph:
                resp = graph_error(429, "TooManyRequests", "Too many requests.")
            else:
                resp = arm_error(429, "TooManyRequests", "The request is being throttled.")
            resp.headers["Retry-After"] = str(wait)
            return resp
        if request.headers.get("authorization") != f"Bearer {self.token}":
            if graph:
                return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.")
            return arm_error(
                401, "AuthenticationFailed", "Authentication failed: no valid bearer token."
            )
        if graph:
            tenant = self.world["tenant"]
            permission = GRAPH[template]
            if permission in tenant["denied"]:
                return graph_error(
                    403,
                    "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation.",
                )
            if template in PREMIUM_ONLY and not tenant["premium"]:
                return graph_error(
                    403,
                    "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                    "Neither tenant is B2C or tenant doesn't have premium license",
                )
            return None
        if "api-version" not in request.query:
            return arm_error(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        if template == "/subscriptions":
            return None
        sub = self._sub(request)
        if sub is None:
            return arm_error(
                404,
                "SubscriptionNotFound",
                f"The subscription '{request.params.get('subscription')}' could not be found.",
            )
        action = ARM[template]
        if action in sub["denied"] or "*" in sub["denied"]:
            scope = f"/subscriptions/{sub['id']}"
            return arm_error(
                403,
                "AuthorizationFailed",
                "The client 'auditor@example.com' with object id "
                "'00000000-0000-0000-0000-0000000000aa' does not have authorization to perform "
                f"action '{action}' over scope '{scope}' or the scope is invalid. If access was "
                "recently granted, please refresh your credentials.",
            )
        return None

    def _page(self, request: Request, items: list[Any], odata: bool = False) -> Response:
        size = int(self.world["page_size"])
        start = int(request.query.get("skiptoken") or request.query.get("$skiptoken") or 0)
        body: dict[str, Any] = {"value": items[start : start + size]}
        if start + size < len(items):
            query = dict(request.query)
            query["$skiptoken" if odata else "skiptoken"] = str(start + size)
            link = f"{self.base_url}{request.path}?{urlencode(query)}"
            body["@odata.nextLink" if odata else "nextLink"] = link
        if odata:
            body = {"@odata.context": f"{self.graph_url}/$metadata#{request.path}", **body}
        return Response(200, body)

    def _rid(self, sub: dict[str, Any], provider: str, *parts: str) -> str:
        rg = sub["resource_group"]
        return f"/subscriptions/{sub['id']}/resourceGroups/{rg}/providers/{provider}/" + "/".join(
            parts
        )

    def _find(self, sub: dict[str, Any], key: str, name: str) -> dict[str, Any] | None:
        for item in sub[key]:
            if item["name"] == name:
                return item  # type: ignore[no-any-return]
        return None

    @staticmethod
    def _not_found(kind: str, name: str) -> Response:
        return arm_error(404, "ResourceNotFound", f"The {kind} '{name}' was not found.")

    # ---------------------------------------------------------- subscriptions
    def _subscriptions(self, request: Request) -> Response:
        items = [
            {
                "id": f"/subscriptions/{s['id']}",
                "subscriptionId": s["id"],
                "displayName": s["name"],
                "state": s["state"],
                "subscriptionPolicies": {
                    "locationPlacementId": "Public_2014-09-01",
                    "quotaId": "PayAsYouGo_2014-09-01",
                    "spendingLimit": "Off",
                },
                "authorizationSource": "RoleBased",
            }
            for s in self.world["subscriptions"]
        ]
        return self._page(request, items)

    # ---------------------------------------------------------- authorization
    def _role_assignments(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        scope = f"/subscriptions/{sub['id']}"
        items = []
        users = {u["upn"]: u for u in self.world["users"]}
        for role, members in (
            (OWNER_ROLE, sub["owners"]),
            (READER_ROLE, sub.get("readers", [])),
        ):
            for m in members:
                pid = users[m]["id"] if m in users else _uid("principal", m)
                kind = "User" if m in users else "ServicePrincipal"
                name = _uid("assignment", sub["id"], role, m)
                items.append(
                    {
                        "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
                        "name": name,
                        "type": "Microsoft.Authorization/roleAssignments",
                        "properties": {
                            "roleDefinitionId": (
                                f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{role}"
                            ),
                            "principalId": pid,
                            "principalType": kind,
                            "scope": scope,
                        },
                    }
                )
        return self._page(request, items)

    def _classic(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        items = [
            {
                "id": f"/subscriptions/{sub['id']}/providers/Microsoft.Authorization/"
                f"classicAdministrators/{_uid('classic', email)}",
                "name": _uid("classic", email),
                "type": "Microsoft.Authorization/classicAdministrators",
                "properties": {"emailAddress": email, "role": "CoAdministrator"},
            }
            for email in sub["classic_admins"]
        ]
        return self._page(request, items)

    # ---------------------------------------------------------------- storage
    def _storage_accounts(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        items = []
        for a in sorted(sub["storage_accounts"], key=lambda a: a["name"]):
            enc: dict[str, Any] = {
                "services": {"blob": {"enabled": True, "keyType": "Account"}},
                "keySource": a.get("key_source", "Microsoft.Storage"),
                "requireInfrastructureEncryption": bool(a.get("infrastructure_encryption", False)),
            }
            props: dict[str, Any] = {
                "provisioningState": "Succeeded",
                "encryption": enc,
                "supportsHttpsTrafficOnly": bool(a.get("https_only", True)),
                "minimumTlsVersion": a.get("min_tls", "TLS1_2"),
                "allowBlobPublicAccess": bool(a.get("public_blob", False)),
            }
            for drop in a.get("omit", []):
                props.pop(drop, None)
            items.append(
                {
                    "id": self._rid(sub, "Microsoft.Storage", "storageAccounts", a["name"]),
                    "name": a["name"],
                    "type": "Microsoft.Storage/storageAccounts",
                    "location": a.get("location", "westeurope"),
                    "kind": "StorageV2",
                    "sku": {"name": "Standard_LRS", "tier": "Standard"},
                    "properties": props,
                }
            )
        return self._page(request, items)

    def _blob(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        a = self._find(sub, "storage_accounts", request.params["account"])
        if a is None:
            return self._not_found("storage account", request.params["account"])
        days = a.get("soft_delete_days")
        policy: dict[str, Any] = {"enabled": days is not None}
        if days is not None:
            policy["days"] = days
        return Response(
            200,
            {
                "id": self._rid(
                    sub,
                    "Microsoft.Storage",
                    "storageAccounts",
                    a["name"],
                    "blobServices",
                    "default",
                ),
                "name": "default",
                "type": "Microsoft.Storage/storageAccounts/blobServices",
                "properties": {"deleteRetentionPolicy": policy},
            },
        )

    # ---------------------------------------------------------------- network
    def _nsgs(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        items = []
        for g in sorted(sub["nsgs"], key=lambda g: g["name"]):
            gid = self._rid(sub, "Microsoft.Network", "networkSecurityGroups", g["name"])
            rules = []
            for n, r in enumerate(g.get("rules", [])):
                props: dict[str, Any] = {
                    "protocol": r.get("protocol", "Tcp"),
                    "sourcePortRange": "*",
                    "destinationAddressPrefix": "*",
                    "access": r.get("access", "Allow"),
                    "priority": r.get("priority", 100 + n),
                    "direction": r.get("direction", "Inbound"),
                    "provisioningState": "Succeeded",
                }
                source = r.get("source", "*")
                if isinstance(source, list):
                    props["sourceAddressPrefixes"] = source
                else:
                    props["sourceAddressPrefix"] = source
                ports = r.get("ports", "*")
                if isinstance(ports, list):
                    props["destinationPortRanges"] = ports
                else:
                    props["destinationPortRange"] = ports
                rules.append(
                    {
                        "id": f"{gid}/securityRules/{r['name']}",
                        "name": r["name"],
                        "type": "Microsoft.Network/networkSecurityGroups/securityRules",
                        "properties": props,
                    }
                )
            items.append(
                {
                    "id": gid,
                    "name": g["name"],
                    "type": "Microsoft.Network/networkSecurityGroups",
                    "location": "westeurope",
                    "properties": {"securityRules": rules, "provisioningState": "Succeeded"},
                }
            )
        return self._page(request, items)

    # --------------------------------------------------------------- keyvault
    def _vaults(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        items = []
        for v in sorted(sub["vaults"], key=lambda v: v["name"]):
            props: dict[str, Any] = {
                "tenantId": self.world["tenant"]["id"],
                "sku": {"family": "A", "name": "standard"},
                "enableSoftDelete": bool(v.get("soft_delete", True)),
                "softDeleteRetentionInDays": 90,
                "vaultUri": f"https://{v['name']}.vault.azure.net/",
            }
            if v.get("purge_protection"):
                props["enablePurgeProtection"] = True
            items.append(
                {
                    "id": self._rid(sub, "Microsoft.KeyVault", "vaults", v["name"]),
                    "name": v["name"],
                    "type": "Microsoft.KeyVault/vaults",
                    "location": "westeurope",
                    "properties": props,
                }
            )
        return self._page(request, items)

    def _keys(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        v = self._find(sub, "vaults", request.params["vault"])
        if v is None:
            return self._not_found("vault", request.params["vault"])
        items = []
        for k in sorted(v.get("keys", []), key=lambda k: k["name"]):
            props: dict[str, Any] = {
                "kty": k.get("kty", "RSA"),
                "keyUri": f"https://{v['name']}.vault.azure.net/keys/{k['name']}",
                "attributes": {"enabled": True, "created": 1700000000, "updated": 1700000000},
            }
            if k.get("auto_rotate") is not None:
                action = "rotate" if k["auto_rotate"] else "notify"
                props["rotationPolicy"] = {
                    "attributes": {"expiryTime": "P2Y"},
                    "lifetimeActions": [
                        {"action": {"type": action}, "trigger": {"timeAfterCreate": "P18M"}}
                    ],
                }
            items.append(
                {
                    "id": self._rid(
                        sub, "Microsoft.KeyVault", "vaults", v["name"], "keys", k["name"]
                    ),
                    "name": k["name"],
                    "type": "Microsoft.KeyVault/vaults/keys",
                    "location": "westeurope",
                    "properties": props,
                }
            )
        return self._page(request, items)

    # ------------------------------------------------------- monitor, defender
    def _diagnostics(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        items = []
        cats = sub["diagnostic_categories"]
        if cats:
            name = "export-activity-log"
            items.append(
                {
                    "id": f"/subscriptions/{sub['id']}/providers/microsoft.insights/"
                    f"diagnosticSettings/{name}",
                    "name": name,
                    "type": "Microsoft.Insights/diagnosticSettings",
                    "properties": {
                        "workspaceId": f"/subscriptions/{sub['id']}/resourceGroups/logs/providers/"
                        "Microsoft.OperationalInsights/workspaces/central",
                        "logs": [{"category": c, "enabled": True} for c in cats],
                    },
                }
            )
        return Response(200, {"value": items})

    def _pricings(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        names = ("VirtualMachines", "StorageAccounts", "SqlServers", "KeyVaults", "Arm", "Dns")
        items = [
            {
                "id": f"/subscriptions/{sub['id']}/providers/Microsoft.Security/pricings/{n}",
                "name": n,
                "type": "Microsoft.Security/pricings",
                "properties": {"pricingTier": sub["defender"].get(n, "Free")},
            }
            for n in names
        ]
        return Response(200, {"value": items})

    # -------------------------------------------------------------------- sql
    def _sql_servers(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        items = [
            {
                "id": self._rid(sub, "Microsoft.Sql", "servers", s["name"]),
                "name": s["name"],
                "type": "Microsoft.Sql/servers",
                "location": "westeurope",
                "kind": "v12.0",
                "properties": {
                    "version": "12.0",
                    "state": "Ready",
                    "fullyQualifiedDomainName": f"{s['name']}.database.windows.net",
                },
            }
            for s in sorted(sub["sql_servers"], key=lambda s: s["name"])
        ]
        return self._page(request, items)

    def _auditing(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        s = self._find(sub, "sql_servers", request.params["server"])
        if s is None:
            return self._not_found("server", request.params["server"])
        return Response(
            200,
            {
                "id": self._rid(
                    sub, "Microsoft.Sql", "servers", s["name"], "auditingSettings", "default"
                ),
                "name": "Default",
                "type": "Microsoft.Sql/servers/auditingSettings",
                "properties": {
                    "state": "Enabled" if s.get("auditing") else "Disabled",
                    "retentionDays": 90,
                },
            },
        )

    def _databases(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        s = self._find(sub, "sql_servers", request.params["server"])
        if s is None:
            return self._not_found("server", request.params["server"])
        dbs = [{"name": "master", "tde": False}, *s.get("databases", [])]
        items = [
            {
                "id": self._rid(sub, "Microsoft.Sql", "servers", s["name"], "databases", d["name"]),
                "name": d["name"],
                "type": "Microsoft.Sql/servers/databases",
                "location": "westeurope",
                "properties": {"status": "Online"},
            }
            for d in dbs
        ]
        return self._page(request, items)

    def _tde(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        s = self._find(sub, "sql_servers", request.params["server"])
        if s is None:
            return self._not_found("server", request.params["server"])
        name = request.params["database"]
        db = next((d for d in s.get("databases", []) if d["name"] == name), None)
        if db is None:
            return self._not_found("database", name)
        return Response(
            200,
            {
                "id": self._rid(
                    sub,
                    "Microsoft.Sql",
                    "servers",
                    s["name"],
                    "databases",
                    name,
                    "transparentDataEncryption",
                    "Current",
                ),
                "name": "Current",
                "type": "Microsoft.Sql/servers/databases/transparentDataEncryption",
                "properties": {"state": "Enabled" if db.get("tde") else "Disabled"},
            },
        )

    # ---------------------------------------------------------------- compute
    def _disks(self, request: Request) -> Response:
        sub = self._sub(request)
        assert sub is not None
        items = []
        for d in sorted(sub["disks"], key=lambda d: d["name"]):
            enc: dict[str, Any] = {"type": d.get("encryption", "EncryptionAtRestWithPlatformKey")}
            if d.get("disk_encryption_set"):
                enc["diskEncryptionSetId"] = self._rid(
                    sub, "Microsoft.Compute", "diskEncryptionSets", d["disk_encryption_set"]
                )
            items.append(
                {
                    "id": self._rid(sub, "Microsoft.Compute", "disks", d["name"]),
                    "name": d["name"],
                    "type": "Microsoft.Compute/disks",
                    "location": "westeurope",
                    "properties": {
                        "diskSizeGB": 128,
                        "diskState": "Attached" if d.get("attached", True) else "Unattached",
                        "encryption": enc,
                        "provisioningState": "Succeeded",
                        "creationData": {"createOption": "Empty"},
                    },
                }
            )
        return self._page(request, items)

    # ------------------------------------------------------------------ graph
    def _users(self, request: Request) -> Response:
        items = [
            {
                "id": u["id"],
                "userPrincipalName": u["upn"],
                "displayName": u["display_name"],
                "accountEnabled": u["enabled"],
                "userType": u["type"],
            }
            for u in self.world["users"]
        ]
        return self._page(request, items, odata=True)

    def _registration(self, request: Request) -> Response:
        admins = {u["upn"] for u in self.world["users"] if u["roles"]}
        items = [
            {
                "id": u["id"],
                "userPrincipalName": u["upn"],
                "userDisplayName": u["display_name"],
                "userType": "guest" if u["type"] == "Guest" else "member",
                "isAdmin": u["upn"] in admins,
                "isMfaRegistered": u["mfa_registered"],
                "isMfaCapable": u["mfa_registered"],
                "methodsRegistered": ["microsoftAuthenticatorPush"] if u["mfa_registered"] else [],
            }
            for u in self.world["users"]
        ]
        return self._page(request, items, odata=True)

    def _security_defaults(self, request: Request) -> Response:
        return Response(
            200,
            {
                "@odata.context": f"{self.graph_url}/$metadata#policies/"
                "identitySecurityDefaultsEnforcementPolicy/$entity",
                "id": "00000000-0000-0000-0000-000000000005",
                "displayName": "Security Defaults",
                "description": "Security defaults is a set of basic identity security mechanisms.",
                "isEnabled": bool(self.world["tenant"]["security_defaults"]),
            },
        )

    def _ca_policies(self, request: Request) -> Response:
        items = [
            {
                "id": p["id"],
                "displayName": p["name"],
                "state": p["state"],
                "conditions": {
                    "clientAppTypes": ["all"],
                    "users": {
                        "includeUsers": p["users"],
                        "excludeUsers": p["exclude_users"],
                        "includeGroups": [],
                        "excludeGroups": [],
                        "includeRoles": [],
                        "excludeRoles": [],
                    },
                    "applications": {
                        "includeApplications": p["apps"],
                        "excludeApplications": [],
                    },
                },
                "grantControls": {
                    "operator": "OR",
                    "builtInControls": p["controls"],
                    "customAuthenticationFactors": [],
                    "termsOfUse": [],
                },
            }
            for p in self.world["conditional_access"]
        ]
        return self._page(request, items, odata=True)

    def _roles(self) -> dict[str, list[dict[str, Any]]]:
        roles: dict[str, list[dict[str, Any]]] = {}
        for u in self.world["users"]:
            for r in u["roles"]:
                roles.setdefault(r, []).append(u)
        return roles

    def _directory_roles(self, request: Request) -> Response:
        items = [
            {
                "id": _uid("role", name),
                "displayName": name,
                "description": name,
                "roleTemplateId": ROLE_TEMPLATES.get(name, _uid("template", name)),
            }
            for name in sorted(self._roles())
        ]
        return self._page(request, items, odata=True)

    def _role_members(self, request: Request) -> Response:
        for name, members in self._roles().items():
            if _uid("role", name) == request.params["role"]:
                items = [
                    {
                        "@odata.type": "#microsoft.graph.user",
                        "id": u["id"],
                        "userPrincipalName": u["upn"],
                        "displayName": u["display_name"],
                    }
                    for u in members
                ]
                return self._page(request, items, odata=True)
        return graph_error(404, "Request_ResourceNotFound", "Resource does not exist.")
