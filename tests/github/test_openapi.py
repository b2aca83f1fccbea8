"""Every route of FakeGitHub answers with the shapes of GitHub's published OpenAPI description.

The schemas are a subset of ``generated/api.github.com.json`` from the npm package
``@octokit/openapi`` version 23.0.2 (GitHub's REST API description with Octokit's
extensions, MIT licence), vendored in ``github-openapi-subset.json``: only the
operations the provider uses and the components they reference. Regenerate it with
``python tests/github/extract_openapi_subset.py path/to/api.github.com.json``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator

from soc2checks.testing.github import FakeGitHub, demo_world
from soc2checks.testing.github._changes import sha

SPEC_PATH = Path(__file__).with_name("github-openapi-subset.json")
SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _schema_for(template: str, verb: str, status: int) -> dict[str, Any] | None:
    responses = SPEC["paths"][template][verb]["responses"]
    if str(status) not in responses and status >= 400:
        # GitHub answers 403 (scopes, plan) on more operations than the description
        # lists; every GitHub error body is a basic-error.
        return {"components": SPEC["components"], "$ref": "#/components/schemas/basic-error"}
    assert str(status) in responses, f"{verb.upper()} {template} may not answer {status}"
    response = responses[str(status)]
    if "$ref" in response:
        response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    content = response.get("content") or {}
    if "application/json" not in content:
        return None
    node: dict[str, Any] = content["application/json"]["schema"]
    # "#/components/..." references resolve against this root
    return {"components": SPEC["components"], **node}


def _call(gh: FakeGitHub, path: str, token: str = "t", method: str = "GET") -> tuple[int, Any]:
    req = urllib.request.Request(
        gh.base_url + path, method=method, headers={"Authorization": f"token {token}"}
    )
    if path.startswith("/app/"):
        req.add_header("Authorization", "Bearer a.b.c")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as err:
        raw = err.read()
        status = err.code
    return status, (json.loads(raw) if raw else None)


WORLD = demo_world()
WORLD["tokens"] = {
    "t": {"login": "alice-cto", "scopes": ["repo", "read:org"], "org_owner": True},
    "dev": {"login": "erin-dev", "scopes": ["repo", "read:org"]},
    "weak": {"login": "erin-dev", "scopes": []},
}
WORLD["app_installations"] = [42]
WORLD["orgs"]["free-co"] = {"plan": "free", "repos": [{"name": "private-app", "private": True}]}
WORLD["orgs"]["acme"]["repos"].append(
    {
        "name": "bypassable",
        "codeowners": ".github/CODEOWNERS",
        "codeowners_errors": [{"line": 2, "source": "* @ghost", "message": "Unknown owner"}],
        "protection": {
            "required_approving_review_count": 1,
            "enforce_admins": True,
            "bypass_pull_request_allowances": {
                "users": ["erin-dev"],
                "teams": ["release"],
                "apps": ["deploy-bot"],
            },
        },
    }
)

WORLD["orgs"]["acme"]["repos"].append(
    {
        "name": "shipping",
        "rulesets": [{"id": 77, "rules": [{"type": "pull_request"}]}],
        "changes": {
            "pulls": [
                {
                    "number": 1,
                    "author": "erin-dev",
                    "method": "merge",
                    "days_ago": 5,
                    "commits": [{}, {}],
                    "reviews": [{"user": "bob-sre"}, {"user": "frank-dev", "on": "old"}],
                    "statuses": {"ci": "success", "lint": "failure"},
                    "check_runs": {"build": "success", "e2e": "failure"},
                },
                {"number": 2, "method": "squash", "days_ago": 4, "bypass": True},
                {"number": 3, "method": "rebase", "days_ago": 3, "commits": [{}, {}]},
                {"number": 4, "merged": False, "days_ago": 2},
            ],
            "pushes": [{"author": "bob-sre", "days_ago": 1, "bypass": True}],
        },
    }
)
_SHIP = "/repos/acme/shipping"
_HEAD1 = sha("acme/shipping", "pr", 1, 1)

CASES: list[tuple[str, str, str, str, int]] = [
    # (template, path, token, method, expected status)
    ("/orgs/{org}", "/orgs/acme", "t", "GET", 200),
    ("/orgs/{org}", "/orgs/acme", "dev", "GET", 200),
    ("/orgs/{org}", "/orgs/nope", "t", "GET", 404),
    ("/orgs/{org}/members", "/orgs/acme/members?per_page=5", "t", "GET", 200),
    ("/orgs/{org}/members", "/orgs/acme/members?role=admin", "t", "GET", 200),
    ("/orgs/{org}/members", "/orgs/acme/members?filter=2fa_disabled", "t", "GET", 200),
    ("/orgs/{org}/members", "/orgs/acme/members?filter=2fa_disabled", "dev", "GET", 422),
    ("/orgs/{org}/outside_collaborators", "/orgs/acme/outside_collaborators", "t", "GET", 200),
    ("/orgs/{org}/repos", "/orgs/acme/repos?per_page=100", "t", "GET", 200),
    ("/orgs/{org}/repos", "/orgs/acme/repos", "dev", "GET", 200),
    ("/orgs/{org}/rulesets/{ruleset_id}", "/orgs/acme/rulesets/9001", "t", "GET", 200),
    ("/orgs/{org}/rulesets/{ruleset_id}", "/orgs/acme/rulesets/9001", "dev", "GET", 200),
    ("/orgs/{org}/rulesets/{ruleset_id}", "/orgs/acme/rulesets/1", "t", "GET", 404),
    (
        "/repos/{owner}/{repo}/branches/{branch}/protection",
        "/repos/acme/api/branches/main/protection",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/branches/{branch}/protection",
        "/repos/acme/web/branches/main/protection",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/branches/{branch}/protection",
        "/repos/acme/docs-site/branches/main/protection",
        "t",
        "GET",
        404,
    ),
    (
        "/repos/{owner}/{repo}/branches/{branch}/protection",
        "/repos/acme/docs-site/branches/main/protection",
        "weak",
        "GET",
        403,
    ),
    (
        "/repos/{owner}/{repo}/branches/{branch}/protection",
        "/repos/free-co/private-app/branches/main/protection",
        "t",
        "GET",
        403,
    ),
    (
        "/repos/{owner}/{repo}/branches/{branch}/protection",
        "/repos/acme/bypassable/branches/main/protection",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/rules/branches/{branch}",
        "/repos/acme/payments/rules/branches/main",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/rules/branches/{branch}",
        "/repos/acme/mobile-app/rules/branches/main",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/rulesets/{ruleset_id}",
        "/repos/acme/payments/rulesets/501",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/rulesets/{ruleset_id}",
        "/repos/acme/mobile-app/rulesets/9001",
        "dev",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/rulesets/{ruleset_id}",
        "/repos/acme/api/rulesets/999",
        "t",
        "GET",
        404,
    ),
    (
        "/repos/{owner}/{repo}/codeowners/errors",
        "/repos/acme/api/codeowners/errors",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/codeowners/errors",
        "/repos/acme/bypassable/codeowners/errors",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/codeowners/errors",
        "/repos/acme/docs-site/codeowners/errors",
        "t",
        "GET",
        404,
    ),
    (
        "/repos/{owner}/{repo}/vulnerability-alerts",
        "/repos/acme/api/vulnerability-alerts",
        "t",
        "GET",
        204,
    ),
    (
        "/repos/{owner}/{repo}/vulnerability-alerts",
        "/repos/acme/data-pipeline/vulnerability-alerts",
        "t",
        "GET",
        404,
    ),
    (
        "/repos/{owner}/{repo}/collaborators",
        "/repos/acme/infra-terraform/collaborators?affiliation=outside",
        "t",
        "GET",
        200,
    ),
    ("/repos/{owner}/{repo}/collaborators", "/repos/acme/api/collaborators", "t", "GET", 200),
    ("/repos/{owner}/{repo}/collaborators", "/repos/acme/nope/collaborators", "t", "GET", 404),
    ("/repos/{owner}/{repo}/pulls", f"{_SHIP}/pulls?state=closed&sort=updated", "t", "GET", 200),
    ("/repos/{owner}/{repo}/pulls", f"{_SHIP}/pulls?state=bogus", "t", "GET", 422),
    ("/repos/{owner}/{repo}/pulls", f"{_SHIP}/pulls?state=closed", "weak", "GET", 404),
    (
        "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        f"{_SHIP}/pulls/1/reviews",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
        f"{_SHIP}/pulls/1/commits",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/commits",
        f"{_SHIP}/commits?sha=main&since=2020-01-01T00:00:00Z",
        "t",
        "GET",
        200,
    ),
    ("/repos/{owner}/{repo}/commits", "/repos/acme/sandbox/commits", "t", "GET", 409),
    (
        "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
        f"{_SHIP}/commits/{sha('acme/shipping', 'rebase', 3, 0)}/pulls",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
        f"{_SHIP}/commits/{'0' * 40}/pulls",
        "t",
        "GET",
        422,
    ),
    (
        "/repos/{owner}/{repo}/commits/{ref}/status",
        f"{_SHIP}/commits/{_HEAD1}/status",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/commits/{ref}/status",
        f"{_SHIP}/commits/{'0' * 40}/status",
        "t",
        "GET",
        404,
    ),
    (
        "/repos/{owner}/{repo}/commits/{ref}/check-runs",
        f"{_SHIP}/commits/{_HEAD1}/check-runs",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/rulesets/rule-suites",
        f"{_SHIP}/rulesets/rule-suites?time_period=month&rule_suite_result=bypass",
        "t",
        "GET",
        200,
    ),
    (
        "/repos/{owner}/{repo}/rulesets/rule-suites",
        f"{_SHIP}/rulesets/rule-suites?time_period=year",
        "t",
        "GET",
        422,
    ),
    (
        "/repos/{owner}/{repo}/rulesets/rule-suites",
        f"{_SHIP}/rulesets/rule-suites",
        "dev",
        "GET",
        403,
    ),
    ("/rate_limit", "/rate_limit", "t", "GET", 200),
    (
        "/app/installations/{installation_id}/access_tokens",
        "/app/installations/42/access_tokens",
        "",
        "POST",
        201,
    ),
    (
        "/app/installations/{installation_id}/access_tokens",
        "/app/installations/7/access_tokens",
        "",
        "POST",
        404,
    ),
]


@pytest.fixture(scope="module")
def gh() -> Any:
    with FakeGitHub(WORLD) as fake:
        yield fake


@pytest.mark.parametrize(
    ("template", "path", "token", "method", "status"),
    CASES,
    ids=[f"{c[3]} {c[1]} {c[2]}" for c in CASES],
)
def test_response_matches_github_openapi(
    gh: FakeGitHub, template: str, path: str, token: str, method: str, status: int
) -> None:
    got, body = _call(gh, path, token, method)
    assert got == status, body
    schema = _schema_for(template, method.lower(), status)
    if schema is None:
        assert body is None or status >= 400
        return
    OAS30Validator(schema).validate(body)


def test_every_served_route_is_covered(gh: FakeGitHub) -> None:
    served = {template for _m, template, _r, _h in gh._routes}
    assert served == {c[0] for c in CASES} == set(SPEC["paths"])


def test_spec_version_is_recorded() -> None:
    assert SPEC["info"]["version"] == "23.0.2"
    assert "@octokit/openapi" in SPEC["info"]["x-source"]


def test_validation_catches_a_wrong_shape() -> None:
    schema = _schema_for("/orgs/{org}/members", "get", 200)
    assert schema is not None
    with pytest.raises(Exception, match=r"required|type"):
        OAS30Validator(schema).validate([{"login": "x"}])
