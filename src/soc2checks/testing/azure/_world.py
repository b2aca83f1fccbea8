"""Worlds of the fake Azure: a tenant (Entra ID) and its subscriptions, as plain JSON.

::

    {
      "tenant": {"id": "…", "security_defaults": false, "premium": true,
                 "denied": ["Reports.Read.All"]},
      "users": [{"upn": "ann@example.com", "type": "Member", "enabled": true,
                 "mfa_registered": true, "roles": ["Global Administrator"]}],
      "conditional_access": [{"name": "MFA for all", "state": "enabled",
                              "users": ["All"], "apps": ["All"], "controls": ["mfa"]}],
      "subscriptions": [{
        "id": "…", "name": "prod", "state": "Enabled",
        "denied": ["Microsoft.Storage/storageAccounts/read"],
        "owners": ["ann@example.com"], "classic_admins": ["old@example.com"],
        "storage_accounts": [{"name": "…", "https_only": true, "min_tls": "TLS1_2",
                              "public_blob": false, "infrastructure_encryption": true,
                              "key_source": "Microsoft.Storage", "soft_delete_days": 7}],
        "nsgs": [{"name": "…", "rules": [{"name": "ssh", "source": "*", "ports": "22"}]}],
        "vaults": [{"name": "…", "soft_delete": true, "purge_protection": true,
                    "keys": [{"name": "k", "auto_rotate": true}]}],
        "diagnostic_categories": ["Administrative", "Security", "Policy"],
        "defender": {"VirtualMachines": "Standard"},
        "sql_servers": [{"name": "…", "auditing": true,
                         "databases": [{"name": "db", "tde": true}]}],
        "disks": [{"name": "…", "encryption": "EncryptionAtRestWithPlatformKey"}]
      }]
    }

``denied`` lists RBAC actions (per subscription) or Graph permissions (tenant) the
caller lacks; ``premium: false`` makes the P1-only Graph APIs answer with a licence error.
"""

from __future__ import annotations

import copy
import json
import uuid
from importlib import resources
from typing import Any

DEMO_WORLD = "demo.json"
TENANT = "72f988bf-0000-4000-8000-000000000001"


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def normalize(world: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``world`` with defaults and stable IDs filled in."""
    w = copy.deepcopy(world)
    t = w.setdefault("tenant", {})
    t.setdefault("id", TENANT)
    t.setdefault("security_defaults", False)
    t.setdefault("premium", True)
    t.setdefault("denied", [])
    for u in w.setdefault("users", []):
        u.setdefault("id", _uid("user", u["upn"]))
        u.setdefault("display_name", u["upn"].split("@")[0])
        u.setdefault("type", "Member")
        u.setdefault("enabled", True)
        u.setdefault("mfa_registered", False)
        u.setdefault("roles", [])
    for p in w.setdefault("conditional_access", []):
        p.setdefault("id", _uid("ca", p["name"]))
        p.setdefault("state", "enabled")
        p.setdefault("users", ["All"])
        p.setdefault("exclude_users", [])
        p.setdefault("apps", ["All"])
        p.setdefault("controls", ["mfa"])
    for s in w.setdefault("subscriptions", []):
        s.setdefault("id", _uid("subscription", s["name"]))
        s.setdefault("state", "Enabled")
        s.setdefault("denied", [])
        s.setdefault("resource_group", "rg-" + s["name"])
        for key in ("owners", "classic_admins", "storage_accounts", "nsgs", "vaults"):
            s.setdefault(key, [])
        for key in ("sql_servers", "disks", "diagnostic_categories"):
            s.setdefault(key, [])
        s.setdefault("defender", {})
    w.setdefault("page_size", 50)
    return w


def load_world(name_or_path: str) -> dict[str, Any]:
    """A world shipped with soc2checks (``"demo.json"``) or a JSON file path."""
    pkg = resources.files("soc2checks.testing.azure") / "worlds" / name_or_path
    if pkg.is_file():
        loaded: dict[str, Any] = json.loads(pkg.read_text(encoding="utf-8"))
        return loaded
    with open(name_or_path, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
        return data


def demo_world() -> dict[str, Any]:
    """The demo tenant: two subscriptions, good and bad."""
    return load_world(DEMO_WORLD)
