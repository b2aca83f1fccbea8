"""Every answer FakeGcp gives parses against Google's published discovery documents.

The trimmed schemas come from ``extract_discovery_subset.py``. A property the schema
does not define, a wrong JSON type (int64 and uint64 travel as strings) or a value
outside an enum fails the test, so the fake cannot drift from the real APIs' shapes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from soc2checks.testing.gcp import FakeGcp, demo_world

SUBSET = json.loads((Path(__file__).parent / "discovery-subset.json").read_text(encoding="utf-8"))
_STRING_FORMATS = {"int64", "uint64", "google-datetime", "google-duration", "byte", "date-time"}


def problems(value: Any, schema: dict[str, Any], schemas: dict[str, Any], at: str) -> list[str]:
    """Where ``value`` does not fit ``schema`` (empty when it fits)."""
    if "$ref" in schema:
        return problems(value, schemas[schema["$ref"]], schemas, at)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if not isinstance(value, dict):
            return [f"{at}: expected an object, got {type(value).__name__}"]
        out: list[str] = []
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for k, v in value.items():
            if k in props:
                out += problems(v, props[k], schemas, f"{at}.{k}")
            elif isinstance(extra, dict):
                out += problems(v, extra, schemas, f"{at}.{k}")
            else:
                out.append(f"{at}.{k}: not in the schema")
        return out
    if kind == "array":
        if not isinstance(value, list):
            return [f"{at}: expected an array"]
        return [
            p
            for i, v in enumerate(value)
            for p in problems(v, schema["items"], schemas, f"{at}[{i}]")
        ]
    if kind == "string":
        if not isinstance(value, str):
            return [f"{at}: expected a string ({schema.get('format', 'string')}), got {value!r}"]
        if "enum" in schema and value not in schema["enum"]:
            return [f"{at}: {value!r} is not one of {schema['enum']}"]
        return []
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{at}: expected an integer, got {value!r}"]
    if kind == "number":
        return [] if isinstance(value, (int, float)) else [f"{at}: expected a number"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{at}: expected a boolean, got {value!r}"]
    if kind == "any" or kind is None:
        return []
    return [f"{at}: unknown schema type {kind}"]


def _requests() -> list[tuple[str, str, str]]:
    """(route, method, path) pairs that reach every route of the fake on the demo world."""
    p, ring = "shop-prod", "projects/shop-prod/locations/us/keyRings/shop"
    dev_sa = "ci@shop-dev.iam.gserviceaccount.com"
    return [
        ("GET /v3/folders", "GET", "/v3/folders?parent=organizations/123456789012"),
        ("GET /v3/projects", "GET", "/v3/projects?parent=folders/200000000001"),
        ("GET /v3/projects/{project}", "GET", f"/v3/projects/{p}"),
        ("POST /v3/projects/{project}:getIamPolicy", "POST", f"/v3/projects/{p}:getIamPolicy"),
        ("POST /v3/projects/{project}:getIamPolicy", "POST", "/v3/projects/shop-dev:getIamPolicy"),
        ("GET /v3/folders/{folder}", "GET", "/v3/folders/200000000003"),
        ("POST /v3/folders/{folder}:getIamPolicy", "POST", "/v3/folders/200000000001:getIamPolicy"),
        (
            "POST /v3/organizations/{organization}:getIamPolicy",
            "POST",
            "/v3/organizations/123456789012:getIamPolicy",
        ),
        (
            "GET /v1/organizations/{organization}/assets",
            "GET",
            "/v1/organizations/123456789012/assets?contentType=RESOURCE"
            "&assetTypes=cloudresourcemanager.googleapis.com/Folder"
            "&assetTypes=cloudresourcemanager.googleapis.com/Project",
        ),
        ("GET /storage/v1/b", "GET", f"/storage/v1/b?project={p}"),
        ("GET /storage/v1/b", "GET", "/storage/v1/b?project=shop-dev"),
        ("GET /storage/v1/b/{bucket}/iam", "GET", "/storage/v1/b/shop-prod-assets/iam"),
        ("GET /compute/v1/projects/{project}", "GET", f"/compute/v1/projects/{p}"),
        (
            "GET /compute/v1/projects/{project}/global/firewalls",
            "GET",
            f"/compute/v1/projects/{p}/global/firewalls",
        ),
        (
            "GET /compute/v1/projects/{project}/global/firewalls",
            "GET",
            "/compute/v1/projects/shop-dev/global/firewalls",
        ),
        ("GET /v1/projects/{project}/serviceAccounts", "GET", f"/v1/projects/{p}/serviceAccounts"),
        (
            "GET /v1/projects/{project}/serviceAccounts/{account}/keys",
            "GET",
            f"/v1/projects/shop-dev/serviceAccounts/{dev_sa}/keys",
        ),
        (
            "GET /sql/v1beta4/projects/{project}/instances",
            "GET",
            f"/sql/v1beta4/projects/{p}/instances",
        ),
        (
            "GET /sql/v1beta4/projects/{project}/instances",
            "GET",
            "/sql/v1beta4/projects/shop-dev/instances",
        ),
        ("GET /v2/projects/{project}/sinks", "GET", f"/v2/projects/{p}/sinks"),
        ("GET /v1/projects/{project}/locations", "GET", f"/v1/projects/{p}/locations"),
        (
            "GET /v1/projects/{project}/locations/{location}/keyRings",
            "GET",
            f"/v1/projects/{p}/locations/us/keyRings",
        ),
        (
            "GET /v1/projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys",
            "GET",
            f"/v1/{ring}/cryptoKeys",
        ),
    ]


def test_every_route_of_the_fake_is_covered() -> None:
    fake = FakeGcp(demo_world())
    served = {f"{m} {t}" for m, t, _r, _h in fake._routes}
    assert served == set(SUBSET["routes"]) == {r for r, _m, _p in _requests()}


@pytest.mark.parametrize(("route", "method", "path"), _requests())
def test_answer_matches_the_discovery_schema(route: str, method: str, path: str) -> None:
    with FakeGcp(demo_world()) as fake:
        resp = fake.dispatch(method, path, {})
    assert resp.status == 200, resp.body
    spec = SUBSET["routes"][route]
    schemas = SUBSET["apis"][spec["api"]]["schemas"]
    assert problems(resp.body, {"$ref": spec["response"]}, schemas, spec["response"]) == []
    assert resp.body  # an empty answer proves nothing


def test_the_checker_catches_drift() -> None:
    schemas = SUBSET["apis"]["storage.v1"]["schemas"]
    bad = {
        "kind": "storage#buckets",
        "items": [{"name": "b", "versioning": {"enabled": "yes"}, "colour": 1}],
    }
    found = problems(bad, {"$ref": "Buckets"}, schemas, "Buckets")
    assert any("versioning.enabled" in p for p in found)
    assert any("colour: not in the schema" in p for p in found)
