"""Write ``discovery-subset.json``: the schemas of the Google API methods FakeGcp serves.

Source: Google's published discovery documents, as google-api-python-client ships them
(``googleapiclient/discovery_cache/documents``). Run from the repository root::

    python tests/gcp/extract_discovery_subset.py

Only each method's response schema and the schemas it references are kept, and of
each schema only the keys a shape check needs (type, format, properties, items,
additionalProperties, $ref, enum).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# fake route -> (discovery document, dotted resource path, method)
METHODS: dict[str, tuple[str, str, str]] = {
    "GET /v3/folders": ("cloudresourcemanager.v3", "folders", "list"),
    "GET /v3/projects": ("cloudresourcemanager.v3", "projects", "list"),
    "GET /v3/projects/{project}": ("cloudresourcemanager.v3", "projects", "get"),
    "POST /v3/projects/{project}:getIamPolicy": (
        "cloudresourcemanager.v3",
        "projects",
        "getIamPolicy",
    ),
    "GET /v3/folders/{folder}": ("cloudresourcemanager.v3", "folders", "get"),
    "POST /v3/folders/{folder}:getIamPolicy": (
        "cloudresourcemanager.v3",
        "folders",
        "getIamPolicy",
    ),
    "POST /v3/organizations/{organization}:getIamPolicy": (
        "cloudresourcemanager.v3",
        "organizations",
        "getIamPolicy",
    ),
    "GET /v1/organizations/{organization}/assets": ("cloudasset.v1", "assets", "list"),
    "GET /storage/v1/b": ("storage.v1", "buckets", "list"),
    "GET /storage/v1/b/{bucket}/iam": ("storage.v1", "buckets", "getIamPolicy"),
    "GET /compute/v1/projects/{project}": ("compute.v1", "projects", "get"),
    "GET /compute/v1/projects/{project}/global/firewalls": ("compute.v1", "firewalls", "list"),
    "GET /v1/projects/{project}/serviceAccounts": ("iam.v1", "projects.serviceAccounts", "list"),
    "GET /v1/projects/{project}/serviceAccounts/{account}/keys": (
        "iam.v1",
        "projects.serviceAccounts.keys",
        "list",
    ),
    "GET /sql/v1beta4/projects/{project}/instances": ("sqladmin.v1beta4", "instances", "list"),
    "GET /v2/projects/{project}/sinks": ("logging.v2", "projects.sinks", "list"),
    "GET /v1/projects/{project}/locations": ("cloudkms.v1", "projects.locations", "list"),
    "GET /v1/projects/{project}/locations/{location}/keyRings": (
        "cloudkms.v1",
        "projects.locations.keyRings",
        "list",
    ),
    "GET /v1/projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys": (
        "cloudkms.v1",
        "projects.locations.keyRings.cryptoKeys",
        "list",
    ),
}
KEEP = ("type", "format", "properties", "items", "additionalProperties", "$ref", "enum")


def _trim(schema: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in KEEP:
        if key not in schema:
            continue
        value = schema[key]
        if key == "properties":
            value = {k: _trim(v) for k, v in sorted(value.items())}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            value = _trim(value)
        out[key] = value
    return out


def _refs(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        if "$ref" in schema:
            found.add(schema["$ref"])
        for v in schema.values():
            found |= _refs(v)
    elif isinstance(schema, list):
        for v in schema:
            found |= _refs(v)
    return found


def extract(documents: Path) -> dict[str, Any]:
    docs: dict[str, Any] = {}
    apis: dict[str, Any] = {}
    routes: dict[str, Any] = {}
    for route, (doc_name, resource, method) in METHODS.items():
        doc = docs.setdefault(
            doc_name, json.loads((documents / f"{doc_name}.json").read_text(encoding="utf-8"))
        )
        node = doc
        for part in resource.split("."):
            node = node["resources"][part]
        m = node["methods"][method]
        routes[route] = {"api": doc_name, "method": m["id"], "response": m["response"]["$ref"]}
        api = apis.setdefault(doc_name, {"revision": doc.get("revision"), "schemas": {}})
        todo = [m["response"]["$ref"]]
        while todo:
            name = todo.pop()
            if name in api["schemas"]:
                continue
            trimmed = _trim(doc["schemas"][name])
            api["schemas"][name] = trimmed
            todo.extend(sorted(_refs(trimmed)))
    for api in apis.values():
        api["schemas"] = dict(sorted(api["schemas"].items()))
    return {"routes": routes, "apis": dict(sorted(apis.items()))}


def main() -> None:
    import googleapiclient

    documents = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    out = Path(__file__).with_name("discovery-subset.json")
    out.write_text(
        json.dumps(extract(documents), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
