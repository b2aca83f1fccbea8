"""The state of a fake GitHub: organizations, people, repositories and their rules.

A *world* is a plain JSON document; :func:`load_world` reads one from disk. Its
format (every key but ``orgs`` is optional)::

    {
      "tokens": {"ghp_auditor": {"scopes": ["repo", "read:org"], "org_owner": true}},
      "rate_limit": 5000,
      "app_installations": [42],
      "orgs": {
        "acme": {
          "plan": "team",                       # "free" makes private repos 403 on protection
          "two_factor_requirement_enabled": true,
          "default_repository_permission": "read",
          "members_can_create_repositories": false,
          "members": [{"login": "alice", "role": "admin", "two_factor": true}],
          "outside_collaborators": [{"login": "vendor-bob", "two_factor": false}],
          "rulesets": [ruleset, ...],           # organization rulesets
          "repos": [{
            "name": "api", "private": true, "archived": false, "empty": false,
            "default_branch": "main",
            "protection": {                     # classic branch protection, or null
              "required_approving_review_count": 1, "dismiss_stale_reviews": true,
              "require_code_owner_reviews": false, "required_status_checks": ["ci"],
              "strict": true, "enforce_admins": true,
              "allow_force_pushes": false, "allow_deletions": false,
              "bypass_pull_request_allowances":   # optional: who may skip reviews
                {"users": ["alice"], "teams": ["release"], "apps": ["deploy-bot"]}},
            "rulesets": [ruleset, ...],         # repository rulesets
            "codeowners": ".github/CODEOWNERS", # or null
            "codeowners_errors": [              # what GET .../codeowners/errors reports
              {"line": 3, "kind": "Unknown owner", "source": "* @ghost",
               "message": "Unknown owner on line 3: make sure @ghost exists"}],
            "security_and_analysis": {"secret_scanning": {"status": "enabled"}, ...},
            "vulnerability_alerts": true,
            "collaborators": [{"login": "vendor-bob", "permission": "admin"}],
            "changes": {"pulls": [...], "pushes": [...]}  # see ._changes
          }]
        }
      }
    }

A ruleset is ``{"id", "name", "enforcement": "active"|"evaluate"|"disabled",
"include": ["~DEFAULT_BRANCH"], "exclude": [], "repos": ["*"] (organization rulesets
only), "rules": [{"type": "pull_request", "parameters": {...}}, ...],
"bypass_actors": [{"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode":
"always"}]}``; rules use GitHub's own rule format.
"""

from __future__ import annotations

import copy
import json
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

PULL_REQUEST_DEFAULTS: dict[str, Any] = {
    "dismiss_stale_reviews_on_push": False,
    "require_code_owner_review": False,
    "require_last_push_approval": False,
    "required_approving_review_count": 0,
    "required_review_thread_resolution": False,
}

DEMO_WORLD = Path(__file__).with_name("worlds") / "demo.json"


def load_world(path: str | Path) -> dict[str, Any]:
    """Read a world document (JSON) from ``path``."""
    with Path(path).open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("orgs"), dict):
        raise ValueError(f"{path}: a world is a JSON object with an 'orgs' object")
    return data


def demo_world() -> dict[str, Any]:
    """The shipped demo world: organization ``acme`` with a dozen repositories."""
    return load_world(DEMO_WORLD)


def normalize(world: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``world`` with defaults filled in and stable numeric IDs."""
    w = copy.deepcopy(world)
    w.setdefault("tokens", {})
    w.setdefault("rate_limit", 5000)
    w.setdefault("app_installations", [])
    next_repo_id = 1000
    for org_index, (login, org) in enumerate(sorted(w["orgs"].items())):
        org["login"] = login
        org.setdefault("id", 100 + org_index)
        org.setdefault("name", login.capitalize())
        org.setdefault("plan", "team")
        org.setdefault("two_factor_requirement_enabled", False)
        org.setdefault("default_repository_permission", "read")
        org.setdefault("members_can_create_repositories", True)
        org.setdefault("members", [])
        org.setdefault("outside_collaborators", [])
        org.setdefault("rulesets", [])
        org.setdefault("repos", [])
        for m in org["members"]:
            m.setdefault("role", "member")
            m.setdefault("two_factor", True)
            m.setdefault("type", "User")
        known = {c["login"] for c in org["outside_collaborators"]}
        for repo in org["repos"]:
            repo.setdefault("private", True)
            repo.setdefault("archived", False)
            repo.setdefault("empty", False)
            repo.setdefault("default_branch", "main")
            repo.setdefault("protection", None)
            repo.setdefault("rulesets", [])
            repo.setdefault("codeowners", None)
            repo.setdefault("codeowners_errors", [])
            repo.setdefault("security_and_analysis", {})
            repo.setdefault("vulnerability_alerts", False)
            repo.setdefault("collaborators", [])
            repo.setdefault("fork", False)
            if "id" not in repo:
                repo["id"] = next_repo_id
            next_repo_id = max(next_repo_id, int(repo["id"])) + 1
            for c in repo["collaborators"]:
                c.setdefault("permission", "read")
                if c["login"] not in known:
                    org["outside_collaborators"].append({"login": c["login"]})
                    known.add(c["login"])
            for rs in repo["rulesets"]:
                _ruleset_defaults(rs)
        for c in org["outside_collaborators"]:
            c.setdefault("two_factor", True)
            c.setdefault("type", "User")
        for rs in org["rulesets"]:
            _ruleset_defaults(rs)
            rs.setdefault("repos", ["*"])
            rs.setdefault("exclude_repos", [])
    return w


def _ruleset_defaults(rs: dict[str, Any]) -> None:
    rs.setdefault("name", f"ruleset-{rs['id']}")
    rs.setdefault("enforcement", "active")
    rs.setdefault("target", "branch")
    rs.setdefault("include", ["~DEFAULT_BRANCH"])
    rs.setdefault("exclude", [])
    rs.setdefault("rules", [])
    rs.setdefault("bypass_actors", [])
    for rule in rs["rules"]:
        if rule["type"] == "pull_request":
            params = dict(PULL_REQUEST_DEFAULTS)
            params.update(rule.get("parameters") or {})
            rule["parameters"] = params
        elif rule["type"] == "required_status_checks":
            params = {"strict_required_status_checks_policy": False, "required_status_checks": []}
            params.update(rule.get("parameters") or {})
            rule["parameters"] = params


def ref_matches(rs: dict[str, Any], branch: str, default_branch: str) -> bool:
    """Whether ruleset ``rs``'s ref-name condition selects ``branch``."""
    ref = f"refs/heads/{branch}"

    def hit(patterns: list[str]) -> bool:
        for p in patterns:
            if p == "~ALL" or (p == "~DEFAULT_BRANCH" and branch == default_branch):
                return True
            full = p if p.startswith("refs/") else f"refs/heads/{p}"
            if fnmatchcase(ref, full):
                return True
        return False

    return hit(rs["include"]) and not hit(rs["exclude"])


def repo_matches(rs: dict[str, Any], repo_name: str) -> bool:
    """Whether organization ruleset ``rs`` targets repository ``repo_name``."""
    inc = any(fnmatchcase(repo_name, p) for p in rs.get("repos", ["*"]))
    exc = any(fnmatchcase(repo_name, p) for p in rs.get("exclude_repos", []))
    return inc and not exc
