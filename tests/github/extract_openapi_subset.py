"""Regenerate github-openapi-subset.json from GitHub's OpenAPI description.

    npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz
    python tests/github/extract_openapi_subset.py package/generated/api.github.com.json

Keeps only the operations FakeGitHub serves and the components they reference
(examples dropped), so the vendored file stays small.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROUTES = [
    ("get", "/orgs/{org}"),
    ("get", "/orgs/{org}/members"),
    ("get", "/orgs/{org}/outside_collaborators"),
    ("get", "/orgs/{org}/repos"),
    ("get", "/orgs/{org}/rulesets/{ruleset_id}"),
    ("get", "/repos/{owner}/{repo}/branches/{branch}/protection"),
    ("get", "/repos/{owner}/{repo}/rules/branches/{branch}"),
    ("get", "/repos/{owner}/{repo}/rulesets/{ruleset_id}"),
    ("get", "/repos/{owner}/{repo}/codeowners/errors"),
    ("get", "/repos/{owner}/{repo}/vulnerability-alerts"),
    ("get", "/repos/{owner}/{repo}/collaborators"),
    ("get", "/repos/{owner}/{repo}/pulls"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/commits"),
    ("get", "/repos/{owner}/{repo}/commits"),
    ("get", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls"),
    ("get", "/repos/{owner}/{repo}/commits/{ref}/status"),
    ("get", "/repos/{owner}/{repo}/commits/{ref}/check-runs"),
    ("get", "/repos/{owner}/{repo}/rulesets/rule-suites"),
    ("get", "/rate_limit"),
    ("post", "/app/installations/{installation_id}/access_tokens"),
]


def _refs(node: Any, acc: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                acc.add(value)
            else:
                _refs(value, acc)
    elif isinstance(node, list):
        for value in node:
            _refs(value, acc)


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _strip(v) for k, v in node.items() if k not in ("example", "examples", "headers")
        }
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def main(source: str) -> None:
    spec = json.loads(Path(source).read_text(encoding="utf-8"))
    version = spec["info"]["version"]
    out: dict[str, Any] = {
        "openapi": spec["openapi"],
        "info": {
            "title": "Subset of GitHub's REST API description (api.github.com) "
            "for soc2checks tests",
            "version": version,
            "x-source": f"npm package @octokit/openapi {version}, "
            "generated/api.github.com.json (MIT licence)",
        },
        "paths": {},
        "components": {"schemas": {}, "responses": {}},
    }
    todo: set[str] = set()
    for verb, path in ROUTES:
        op = spec["paths"][path][verb]
        slim = {"operationId": op["operationId"], "responses": _strip(op["responses"])}
        out["paths"].setdefault(path, {})[verb] = slim
        _refs(slim, todo)
    seen: set[str] = set()
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/")
        node = _strip(spec["components"][kind][name])
        out["components"].setdefault(kind, {})[name] = node
        _refs(node, todo)
    target = Path(__file__).with_name("github-openapi-subset.json")
    target.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
