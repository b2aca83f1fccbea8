"""Worlds of the fake GCP: an organization's folders and projects, as plain JSON.

A world is a dict (usually loaded from JSON)::

    {
      "organization": {"id": "123456789012", "domain": "example.com"},
      "folders": [{"id": "100", "parent": "organizations/123456789012", "display_name": "prod"}],
      "projects": [{
        "project_id": "shop-prod", "parent": "folders/100", "state": "ACTIVE",
        "iam": {"bindings": [{"role": "roles/viewer", "members": ["user:a@example.com"]}],
                "auditConfigs": [...]},
        "metadata": {"enable-oslogin": "TRUE"},
        "disabled_services": ["sqladmin.googleapis.com"],
        "buckets": [{"name": "b", "uniform": true, "public_access_prevention": "enforced",
                     "versioning": true, "retention_seconds": null, "iam": {"bindings": []}}],
        "service_accounts": [{"email": "app@shop-prod.iam.gserviceaccount.com",
                              "keys": [{"id": "k1", "created": "2024-01-01T00:00:00Z"}]}],
        "firewalls": [{"name": "ssh", "sourceRanges": ["0.0.0.0/0"],
                       "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}],
        "sinks": [{"name": "all", "destination": "storage.googleapis.com/logs", "filter": ""}],
        "sql_instances": [{"name": "db", "ipv4": true, "authorized_networks": [],
                           "backups": true, "ssl_mode": "ENCRYPTED_ONLY"}],
        "kms": [{"location": "global", "key_ring": "ring",
                 "keys": [{"name": "k", "rotation_period": "7776000s"}]}]
      }],
      "denied": ["resourcemanager.folders.list", "storage.buckets.list@shop-prod"],
      "page_size": 50
    }

``denied`` lists IAM permissions the caller lacks (``PERM`` everywhere, ``PERM@PROJECT``
in one project); ``granted``, when present, is the only permissions the caller has.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

DEMO_WORLD = "demo.json"


def normalize(world: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``world`` with defaults filled in and projects keyed by ID."""
    w = copy.deepcopy(world)
    org = w.setdefault("organization", {"id": "123456789012", "domain": "example.com"})
    org.setdefault("display_name", org.get("domain", "example.com"))
    org.setdefault("disabled_services", [])  # for organization-level calls (Cloud Asset)
    org.setdefault("quota_project_number", "999999999999")
    w.setdefault("folders", [])
    for f in w["folders"]:
        f.setdefault("parent", f"organizations/{org['id']}")
        f.setdefault("display_name", f["id"])
        f.setdefault("state", "ACTIVE")
    projects: dict[str, dict[str, Any]] = {}
    for n, p in enumerate(w.get("projects", [])):
        p = dict(p)
        p.setdefault("number", str(100000000000 + n + 1))
        p.setdefault("parent", f"organizations/{org['id']}")
        p.setdefault("state", "ACTIVE")
        p.setdefault("display_name", p["project_id"])
        p.setdefault("iam", {"bindings": []})
        p.setdefault("metadata", {})
        p.setdefault("disabled_services", [])
        for key in ("buckets", "service_accounts", "firewalls", "sinks", "sql_instances", "kms"):
            p.setdefault(key, [])
        projects[p["project_id"]] = p
    w["projects"] = projects
    w.setdefault("denied", [])
    w.setdefault("page_size", 50)
    return w


def load_world(name_or_path: str) -> dict[str, Any]:
    """A world shipped with soc2checks (``"demo.json"``) or a JSON file path."""
    pkg = resources.files("soc2checks.testing.gcp") / "worlds" / name_or_path
    if pkg.is_file():
        loaded: dict[str, Any] = json.loads(pkg.read_text(encoding="utf-8"))
        return loaded
    with open(name_or_path, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
        return data


def demo_world() -> dict[str, Any]:
    """The demo organization: folders with good and bad projects."""
    return load_world(DEMO_WORLD)
