"""Every answer of FakeAzure fits the published API descriptions.

azure-rest-api-specs is 1.3 GB, beyond what this workspace can fetch, so the check uses
the models the Azure SDKs generate from those specs (AutoRest/TypeSpec for ARM, Graph's
CSDL metadata for msgraph-sdk): a key of an answer that the SDK model does not define is
a key the published description does not define, and fails the test. Graph models put
unknown keys in ``additional_data``; ARM models are walked field by field.
"""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest

from soc2checks.testing.azure import FakeAzure, demo_world, normalize

W = normalize(demo_world())
PROD = next(s for s in W["subscriptions"] if s["name"] == "prod")
DEV = next(s for s in W["subscriptions"] if s["name"] == "dev")


def _arm_model(module: str, name: str) -> Any:
    mod = __import__(f"azure.mgmt.{module}.models", fromlist=[name])
    return getattr(mod, name)


def _unwrap(tp: Any) -> Any:
    """The model class inside Optional[...], list[...], dict[str, ...] (or None)."""
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin in (list, tuple):
        return _unwrap(args[0])
    if origin is dict:
        return _unwrap(args[1])
    if args:  # Optional / Union
        for a in args:
            found = _unwrap(a)
            if found is not None:
                return found
        return None
    return tp if isinstance(tp, type) and hasattr(tp, "_is_model") else None


def _fields(cls: Any) -> dict[str, Any]:
    """REST name -> nested model class (or None) of a TypeSpec-generated model."""
    cls({})  # the generator fills the class's field table on first use
    module = __import__(cls.__module__, fromlist=["_"])
    package = __import__(cls.__module__.rsplit(".", 1)[0], fromlist=["_"])
    names = {**vars(module), "_models": package}
    hints = typing.get_type_hints(cls, names)
    out: dict[str, Any] = {}
    for attr, field in cls._attr_to_rest_field.items():
        out[field._rest_name] = _unwrap(hints.get(attr))
    return out


def _msrest_fields(cls: Any, models: Any) -> dict[str, Any]:
    """Nested dict of REST keys (flattened ``a.b`` keys unfolded) -> model class or None."""
    tree: dict[str, Any] = {}
    for spec in cls._attribute_map.values():
        parts = [p.replace("\\.", ".") for p in spec["key"].replace("\\.", "\0").split(".")]
        parts = [p.replace("\0", ".") for p in parts]
        node = tree
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        kind = spec["type"].strip("[]{}")
        node[parts[-1]] = getattr(models, kind, None)
    return tree


def problems(value: Any, cls: Any, at: str) -> list[str]:
    if cls is None or value is None:
        return []
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in problems(v, cls, f"{at}[{i}]")]
    if not isinstance(value, dict):
        return [f"{at}: expected an object"]
    if hasattr(cls, "_attribute_map"):
        models = __import__(cls.__module__.rsplit(".", 1)[0], fromlist=["_"])
        return _tree_problems(value, _msrest_fields(cls, models), at, models)
    fields = _fields(cls)
    out: list[str] = []
    for k, v in value.items():
        if k not in fields:
            out.append(f"{at}.{k}: not in {cls.__name__}")
        else:
            out += problems(v, fields[k], f"{at}.{k}")
    return out


def _tree_problems(value: dict[str, Any], tree: dict[str, Any], at: str, models: Any) -> list[str]:
    out: list[str] = []
    for k, v in value.items():
        if k not in tree:
            out.append(f"{at}.{k}: not in the model")
        elif isinstance(tree[k], dict):
            if isinstance(v, dict):
                out += _tree_problems(v, tree[k], f"{at}.{k}", models)
        else:
            out += problems(v, tree[k], f"{at}.{k}")
    return out


def _get(path: str) -> dict[str, Any]:
    with FakeAzure(W) as fake:
        resp = fake.dispatch("GET", path, {"authorization": f"Bearer {fake.token}"})
    assert resp.status == 200, resp.body
    assert resp.body
    return json.loads(json.dumps(resp.body))


P = f"/subscriptions/{PROD['id']}"
RG = f"{P}/resourceGroups/{PROD['resource_group']}/providers"
D = f"/subscriptions/{DEV['id']}"
ARM = [
    ("/subscriptions?api-version=2016-06-01", "subscription", "Subscription"),
    (
        f"{P}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01",
        "authorization",
        "RoleAssignment",
    ),
    (
        f"{D}/providers/Microsoft.Authorization/classicAdministrators?api-version=2015-07-01",
        "authorization",
        "ClassicAdministrator",
    ),
    (f"{P}/providers/Microsoft.Storage/storageAccounts?api-version=x", "storage", "StorageAccount"),
    (
        f"{RG}/Microsoft.Storage/storageAccounts/prodorders/blobServices/default?api-version=x",
        "storage",
        "BlobServiceProperties",
    ),
    (
        f"{D}/providers/Microsoft.Network/networkSecurityGroups?api-version=x",
        "network",
        "NetworkSecurityGroup",
    ),
    (f"{P}/providers/Microsoft.KeyVault/vaults?api-version=x", "keyvault", "Vault"),
    (f"{RG}/Microsoft.KeyVault/vaults/prod-kv/keys?api-version=x", "keyvault", "Key"),
    (
        f"{P}/providers/Microsoft.Insights/diagnosticSettings?api-version=x",
        "monitor",
        "DiagnosticSettingsResource",
    ),
    (f"{P}/providers/Microsoft.Security/pricings?api-version=x", "security", "Pricing"),
    (f"{P}/providers/Microsoft.Sql/servers?api-version=x", "sql", "Server"),
    (
        f"{RG}/Microsoft.Sql/servers/prod-sql/auditingSettings/default?api-version=x",
        "sql",
        "ServerBlobAuditingPolicy",
    ),
    (f"{RG}/Microsoft.Sql/servers/prod-sql/databases?api-version=x", "sql", "Database"),
    (
        f"{RG}/Microsoft.Sql/servers/prod-sql/databases/orders/transparentDataEncryption/current?api-version=x",
        "sql",
        "LogicalDatabaseTransparentDataEncryption",
    ),
    (f"{D}/providers/Microsoft.Compute/disks?api-version=x", "compute", "Disk"),
]


@pytest.mark.parametrize(("path", "module", "model"), ARM, ids=[m for _p, _m, m in ARM])
def test_arm_answer_fits_the_sdk_model(path: str, module: str, model: str) -> None:
    body = _get(path)
    items = body.get("value", [body])
    assert items
    cls = _arm_model(module, model)
    assert [p for i, item in enumerate(items) for p in problems(item, cls, f"{model}[{i}]")] == []


def test_the_arm_checker_catches_drift() -> None:
    bad = {"name": "a", "properties": {"supportsHttpsTrafficOnly": True, "colour": 1}}
    found = problems(bad, _arm_model("storage", "StorageAccount"), "StorageAccount")
    assert found and "colour" in found[0]
    found = problems(
        {"properties": {"roleDefinitionIdx": "x"}},
        _arm_model("authorization", "RoleAssignment"),
        "RA",
    )
    assert found and "roleDefinitionIdx" in found[0]


GRAPH = [
    ("/v1.0/users", "msgraph.generated.models.user_collection_response", "UserCollectionResponse"),
    (
        "/v1.0/reports/authenticationMethods/userRegistrationDetails",
        "msgraph.generated.models.user_registration_details_collection_response",
        "UserRegistrationDetailsCollectionResponse",
    ),
    (
        "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy",
        "msgraph.generated.models.identity_security_defaults_enforcement_policy",
        "IdentitySecurityDefaultsEnforcementPolicy",
    ),
    (
        "/v1.0/identity/conditionalAccess/policies",
        "msgraph.generated.models.conditional_access_policy_collection_response",
        "ConditionalAccessPolicyCollectionResponse",
    ),
    (
        "/v1.0/directoryRoles",
        "msgraph.generated.models.directory_role_collection_response",
        "DirectoryRoleCollectionResponse",
    ),
]


def _unknown_graph_keys(obj: Any, at: str) -> list[str]:
    out: list[str] = []
    extra = getattr(obj, "additional_data", None) or {}
    out += [f"{at}.{k}" for k in extra if not k.startswith("@odata.")]
    for name, value in vars(obj).items():
        if name == "additional_data" or name.startswith("_"):
            continue
        for i, v in enumerate(value if isinstance(value, list) else [value]):
            if hasattr(v, "additional_data"):
                out += _unknown_graph_keys(v, f"{at}.{name}[{i}]")
    return out


def _parse_graph(body: dict[str, Any], module: str, model: str) -> Any:
    from kiota_serialization_json.json_parse_node_factory import JsonParseNodeFactory

    cls = getattr(__import__(module, fromlist=[model]), model)
    node = JsonParseNodeFactory().get_root_parse_node("application/json", json.dumps(body).encode())
    return node.get_object_value(cls)


@pytest.mark.parametrize(("path", "module", "model"), GRAPH, ids=[m for _p, _m, m in GRAPH])
def test_graph_answer_fits_the_sdk_model(path: str, module: str, model: str) -> None:
    parsed = _parse_graph(_get(path), module, model)
    assert _unknown_graph_keys(parsed, model) == []


def test_the_graph_checker_catches_drift() -> None:
    body = {"value": [{"id": "1", "userPrincipalName": "a@b", "favouriteColour": "red"}]}
    parsed = _parse_graph(body, GRAPH[0][1], GRAPH[0][2])
    assert _unknown_graph_keys(parsed, "Users") == ["Users.value[0].favouriteColour"]
