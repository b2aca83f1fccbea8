"""A small stateful fake of GitHub's REST API, served over loopback HTTP.

Only the endpoints the github provider reads are served (the change history of a
repository: pull requests, reviews, commits, statuses and rule suites, in
:mod:`._change_routes`), with GitHub's semantics:
``Link`` pagination (``per_page``/``page``), ``filter=2fa_disabled`` (owners only,
422 otherwise) and ``role=admin`` on members, 404 ``Branch not protected``, 403 for
missing token scopes (``X-OAuth-Scopes`` / ``X-Accepted-OAuth-Scopes``) and plan
limits, rate-limit headers, primary exhaustion and secondary limits (403/429 with
``Retry-After``), an optional per-request delay, and per-route request counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from soc2checks.testing.github._change_routes import ChangeRoutes
from soc2checks.testing.github._world import normalize, ref_matches, repo_matches

DOCS = "https://docs.github.com/rest"
PLAN_MESSAGE = "Upgrade to GitHub Pro or make this repository public to enable this feature."
SCOPE_MESSAGE = "Must have admin rights to Repository."
ORG_SCOPE_MESSAGE = "Resource not accessible by personal access token"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
CREATED = "2020-01-01T00:00:00Z"

Handler = Callable[["_Request"], "_Response"]


class _Response:
    def __init__(
        self,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


class _Request:
    def __init__(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        params: dict[str, str],
        viewer: dict[str, Any],
    ) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.params = params
        self.viewer = viewer


def _error(status: int, message: str, doc: str = DOCS, **headers: str) -> _Response:
    return _Response(status, {"message": message, "documentation_url": doc}, headers)


class FakeGitHub:
    """A fake GitHub REST API seeded from a world (see :mod:`._world`).

    Use it as a context manager, or call :meth:`start` and :meth:`stop`::

        with FakeGitHub(world, delay=0.05) as gh:
            client = github.Github(base_url=gh.base_url, auth=github.Auth.Token("t"))

    ``requests`` counts requests by route template (``"GET /orgs/{org}/repos"``).
    """

    def __init__(self, world: dict[str, Any], *, delay: float = 0.0) -> None:
        self.world = normalize(world)
        self.delay = delay
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._user_ids: dict[str, int] = {}
        self._ids = itertools.count(5000)
        self._rate: dict[str, dict[str, float]] = {}
        self._secondary: list[tuple[int, int]] = []
        self._app_tokens: set[str] = set()
        self._failures: list[int] = []
        self._routes: list[tuple[str, str, re.Pattern[str], Handler]] = []
        # first: ".../rulesets/rule-suites" must not reach ".../rulesets/{ruleset_id}"
        self.changes = ChangeRoutes(self)
        self._add("GET", "/rate_limit", self._rate_limit)
        self._add("GET", "/orgs/{org}", self._org)
        self._add("GET", "/orgs/{org}/members", self._members)
        self._add("GET", "/orgs/{org}/outside_collaborators", self._outside_collaborators)
        self._add("GET", "/orgs/{org}/repos", self._repos)
        self._add("GET", "/orgs/{org}/rulesets/{ruleset_id}", self._org_ruleset)
        self._add("GET", "/repos/{owner}/{repo}/branches/{branch}/protection", self._protection)
        self._add("GET", "/repos/{owner}/{repo}/rules/branches/{branch}", self._branch_rules)
        self._add("GET", "/repos/{owner}/{repo}/rulesets/{ruleset_id}", self._repo_ruleset)
        self._add("GET", "/repos/{owner}/{repo}/codeowners/errors", self._codeowners)
        self._add("GET", "/repos/{owner}/{repo}/vulnerability-alerts", self._vuln_alerts)
        self._add("GET", "/repos/{owner}/{repo}/collaborators", self._collaborators)
        self._add(
            "POST", "/app/installations/{installation_id}/access_tokens", self._installation_token
        )

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> FakeGitHub:
        """Start serving on a free loopback port; returns ``self``."""
        if self._server is not None:
            return self
        fake = self

        class _H(_HandlerBase):
            owner = fake

        server = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        server.daemon_threads = True
        server.request_queue_size = 256
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The root URL to hand a client (``http://127.0.0.1:PORT``)."""
        if self._server is None:
            raise RuntimeError("FakeGitHub is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # ------------------------------------------------------------ test switches
    def exhaust_rate_limit(self, reset_in: float = 1.0, token: str | None = None) -> None:
        """Use up the primary limit of ``token`` (every token if None) until ``reset_in`` s."""
        with self._lock:
            keys = {token} if token is not None else {"", *self._rate, *self.world["tokens"]}
            for key in keys:
                bucket = self._bucket(key)
                bucket["used"] = bucket["limit"]
                bucket["reset"] = time.time() + reset_in

    def secondary_limit(self, times: int = 1, *, retry_after: int = 1, status: int = 403) -> None:
        """Answer the next ``times`` requests with a secondary rate limit error."""
        with self._lock:
            self._secondary.extend([(status, retry_after)] * times)

    def server_errors(self, times: int = 1, *, status: int = 502) -> None:
        """Answer the next ``times`` requests with a 5xx error."""
        with self._lock:
            self._failures.extend([status] * times)

    def reset_counts(self) -> None:
        """Forget the request counts."""
        with self._lock:
            self.requests.clear()

    # ----------------------------------------------------------------- plumbing
    def _add(self, method: str, template: str, handler: Handler) -> None:
        pattern = re.escape(template)
        for name in re.findall(r"\{(\w+)\}", template):
            part = ".+" if name == "branch" else "[^/]+"
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>{part})")
        self._routes.append((method, template, re.compile(f"^{pattern}$"), handler))

    def _bucket(self, key: str) -> dict[str, float]:
        bucket = self._rate.get(key)
        now = time.time()
        if bucket is None:
            limit = float(self.world["rate_limit"])
            bucket = {"limit": limit, "used": 0.0, "reset": now + 3600}
            self._rate[key] = bucket
        if now >= bucket["reset"]:
            bucket["used"] = 0.0
            bucket["reset"] = now + 3600
        return bucket

    def _rate_headers(self, bucket: dict[str, float]) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(int(bucket["limit"])),
            "X-RateLimit-Remaining": str(max(0, int(bucket["limit"] - bucket["used"]))),
            "X-RateLimit-Reset": str(math.ceil(bucket["reset"])),
            "X-RateLimit-Used": str(int(bucket["used"])),
            "X-RateLimit-Resource": "core",
        }

    def _viewer(self, auth: str | None) -> dict[str, Any] | None:
        tokens: dict[str, Any] = self.world["tokens"]
        token = ""
        if auth:
            parts = auth.split(None, 1)
            token = parts[1].strip() if len(parts) == 2 else parts[0]
        if token in self._app_tokens:
            return {
                "token": token,
                "login": "soc2checks[bot]",
                "scopes": [],
                "org_owner": True,
                "app": True,
            }
        if token in tokens:
            spec = tokens[token]
            return {
                "token": token,
                "login": spec.get("login", "auditor"),
                "scopes": list(spec.get("scopes", [])),
                "org_owner": bool(spec.get("org_owner", False)),
                "app": bool(spec.get("app", False)),
            }
        if tokens and token:
            return None
        if tokens:  # anonymous, when the world defines tokens
            return {"token": "", "login": None, "scopes": [], "org_owner": False, "app": False}
        all_scopes = ["repo", "read:org", "admin:org", "security_events"]
        return {
            "token": "",
            "login": "auditor",
            "scopes": all_scopes,
            "org_owner": True,
            "app": False,
        }

    def dispatch(
        self, method: str, raw_path: str, auth: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        """Answer one request: ``(status, JSON body or None, headers)``."""
        if self.delay:
            time.sleep(self.delay)
        split = urlsplit(raw_path)
        path = split.path.rstrip("/") or "/"
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        found = None
        for m, template, regex, handler in self._routes:
            match = regex.match(path)
            if match and m == method:
                found = (template, handler, match)
                break
        if found is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        template, handler, match = found
        with self._lock:
            self.requests[f"{method} {template}"] += 1
        viewer = self._viewer(auth)
        if viewer is None and template.startswith("/app/") and auth and auth.startswith("Bearer"):
            viewer = {"token": "", "login": None, "scopes": [], "org_owner": False, "app": True}
        if viewer is None:
            return 401, {"message": "Bad credentials", "documentation_url": DOCS}, {}
        with self._lock:
            bucket = self._bucket(viewer["token"])
            secondary = self._secondary.pop(0) if self._secondary else None
            failure = self._failures.pop(0) if self._failures and not secondary else None
            exhausted = bucket["used"] >= bucket["limit"]
            if not exhausted and secondary is None:
                bucket["used"] += 1
            rate = self._rate_headers(bucket)
        headers = dict(rate)
        if not viewer["app"]:
            headers["X-OAuth-Scopes"] = ", ".join(viewer["scopes"])
        if failure is not None:
            return failure, {"message": "Server Error", "documentation_url": DOCS}, headers
        if secondary is not None:
            status, retry_after = secondary
            headers["Retry-After"] = str(retry_after)
            body = {"message": SECONDARY_MESSAGE, "documentation_url": DOCS}
            return status, body, headers
        if exhausted:
            login = viewer["login"] or "anonymous"
            body = {
                "message": f"API rate limit exceeded for user ID {self._uid(login)}.",
                "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api",
            }
            return 403, body, headers
        params = {k: unquote(v) for k, v in match.groupdict().items()}
        try:
            resp = handler(_Request(method, path, query, params, viewer))
        except KeyError:
            resp = _error(404, "Not Found")
        headers.update(resp.headers)
        return resp.status, resp.body, headers

    # ------------------------------------------------------------------ helpers
    def _uid(self, login: str) -> int:
        with self._lock:
            if login not in self._user_ids:
                self._user_ids[login] = next(self._ids)
            return self._user_ids[login]

    def _user(self, login: str, kind: str = "User") -> dict[str, Any]:
        b = self.base_url
        u = f"{b}/users/{login}"
        return {
            "login": login,
            "id": self._uid(login),
            "node_id": f"U_{self._uid(login)}",
            "avatar_url": f"{b}/avatars/{login}",
            "gravatar_id": "",
            "url": u,
            "html_url": f"{b}/{login}",
            "followers_url": f"{u}/followers",
            "following_url": f"{u}/following{{/other_user}}",
            "gists_url": f"{u}/gists{{/gist_id}}",
            "starred_url": f"{u}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{u}/subscriptions",
            "organizations_url": f"{u}/orgs",
            "repos_url": f"{u}/repos",
            "events_url": f"{u}/events{{/privacy}}",
            "received_events_url": f"{u}/received_events",
            "type": kind,
            "site_admin": False,
            "user_view_type": "public",
        }

    def _team(self, org: dict[str, Any], slug: str) -> dict[str, Any]:
        b, login = self.base_url, org["login"]
        ident = self._uid(f"team:{login}/{slug}")
        u = f"{b}/organizations/{org['id']}/team/{ident}"
        return {
            "id": ident,
            "node_id": f"T_{ident}",
            "url": u,
            "html_url": f"{b}/orgs/{login}/teams/{slug}",
            "name": slug,
            "slug": slug,
            "description": None,
            "privacy": "closed",
            "notification_setting": "notifications_enabled",
            "permission": "pull",
            "members_url": f"{u}/members{{/member}}",
            "repositories_url": f"{u}/repos",
            "parent": None,
            "type": "organization",
            "organization_id": org["id"],
        }

    def _app(self, slug: str) -> dict[str, Any]:
        b = self.base_url
        ident = self._uid(f"app:{slug}")
        return {
            "id": ident,
            "slug": slug,
            "node_id": f"A_{ident}",
            "client_id": f"Iv1.{ident:016x}",
            "owner": self._user(f"{slug}-owner", "Organization"),
            "name": slug,
            "description": None,
            "external_url": f"{b}/apps/{slug}",
            "html_url": f"{b}/apps/{slug}",
            "created_at": CREATED,
            "updated_at": CREATED,
            "permissions": {"contents": "write", "metadata": "read"},
            "events": ["push"],
        }

    def _org_of(self, name: str) -> dict[str, Any]:
        org: dict[str, Any] = self.world["orgs"][name]
        return org

    def _repo_of(self, owner: str, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        org = self._org_of(owner)
        for repo in org["repos"]:
            if repo["name"] == name:
                return org, repo
        raise KeyError(name)

    @staticmethod
    def _has(viewer: dict[str, Any], *scopes: str) -> bool:
        return viewer["app"] or any(s in viewer["scopes"] for s in scopes)

    def _need_repo_admin(self, req: _Request, repo: dict[str, Any]) -> _Response | None:
        if not self._has(req.viewer, "repo"):
            if repo["private"]:
                return _error(404, "Not Found", **{"X-Accepted-OAuth-Scopes": "repo"})
            return _error(403, SCOPE_MESSAGE, **{"X-Accepted-OAuth-Scopes": "repo"})
        if not req.viewer["org_owner"]:
            return _error(403, SCOPE_MESSAGE, **{"X-Accepted-OAuth-Scopes": "repo"})
        return None

    def _paginate(self, req: _Request, items: list[Any]) -> _Response:
        try:
            per_page = max(1, min(100, int(req.query.get("per_page", "30"))))
            page = max(1, int(req.query.get("page", "1")))
        except ValueError:
            return _error(422, "Validation Failed")
        last = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []

        def link(n: int, rel: str) -> str:
            q = dict(req.query, per_page=str(per_page), page=str(n))
            return f'<{self.base_url}{quote(req.path)}?{urlencode(q)}>; rel="{rel}"'

        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        headers = {"Link": ", ".join(links)} if links else {}
        return _Response(200, chunk, headers)

    # ------------------------------------------------------------------- routes
    def _rate_limit(self, req: _Request) -> _Response:
        with self._lock:
            bucket = self._bucket(req.viewer["token"])
            core = {
                "limit": int(bucket["limit"]),
                "remaining": max(0, int(bucket["limit"] - bucket["used"])),
                "reset": math.ceil(bucket["reset"]),
                "used": int(bucket["used"]),
            }
        search = {"limit": 30, "remaining": 30, "reset": core["reset"], "used": 0}
        return _Response(200, {"resources": {"core": core, "search": search}, "rate": core})

    def _org(self, req: _Request) -> _Response:
        org = self._org_of(req.params["org"])
        b, login = self.base_url, org["login"]
        u = f"{b}/orgs/{login}"
        public = [r for r in org["repos"] if not r["private"]]
        body: dict[str, Any] = {
            "login": login,
            "id": org["id"],
            "node_id": f"O_{org['id']}",
            "url": u,
            "repos_url": f"{u}/repos",
            "events_url": f"{u}/events",
            "hooks_url": f"{u}/hooks",
            "issues_url": f"{u}/issues",
            "members_url": f"{u}/members{{/member}}",
            "public_members_url": f"{u}/public_members{{/member}}",
            "avatar_url": f"{b}/avatars/{login}",
            "description": org.get("description", ""),
            "name": org["name"],
            "html_url": f"{b}/{login}",
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": len(public),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "type": "Organization",
            "created_at": CREATED,
            "updated_at": CREATED,
            "archived_at": None,
        }
        if req.viewer["org_owner"] and self._has(req.viewer, "read:org", "admin:org"):
            body.update(
                {
                    "total_private_repos": len(org["repos"]) - len(public),
                    "owned_private_repos": len(org["repos"]) - len(public),
                    "plan": {"name": org["plan"], "space": 976562499, "private_repos": 999999},
                    "two_factor_requirement_enabled": org["two_factor_requirement_enabled"],
                    "default_repository_permission": org["default_repository_permission"],
                    "members_can_create_repositories": org["members_can_create_repositories"],
                    "members_can_create_public_repositories": org[
                        "members_can_create_repositories"
                    ],
                    "members_can_fork_private_repositories": org.get(
                        "members_can_fork_private_repositories", False
                    ),
                    "members_can_invite_outside_collaborators": org.get(
                        "members_can_invite_outside_collaborators", True
                    ),
                }
            )
        return _Response(200, body)

    def _members(self, req: _Request) -> _Response:
        org = self._org_of(req.params["org"])
        members = org["members"]
        role = req.query.get("role", "all")
        filt = req.query.get("filter", "all")
        if role not in ("all", "admin", "member") or filt not in (
            "all",
            "2fa_disabled",
            "2fa_insecure",
        ):
            return _error(422, "Validation Failed")
        if filt != "all":
            if not req.viewer["org_owner"]:
                return _error(422, "Only owners can use this filter.")
            members = [m for m in members if filt == "2fa_disabled" and not m["two_factor"]]
        if role != "all":
            members = [m for m in members if m["role"] == role]
        return self._paginate(req, [self._user(m["login"], m["type"]) for m in members])

    def _outside_collaborators(self, req: _Request) -> _Response:
        org = self._org_of(req.params["org"])
        if not self._has(req.viewer, "read:org", "admin:org"):
            return _error(
                403, ORG_SCOPE_MESSAGE, **{"X-Accepted-OAuth-Scopes": "admin:org, read:org"}
            )
        people = org["outside_collaborators"]
        if req.query.get("filter") == "2fa_disabled":
            people = [p for p in people if not p["two_factor"]]
        return self._paginate(req, [self._user(p["login"], p["type"]) for p in people])

    def _repo_body(self, org: dict[str, Any], repo: dict[str, Any], viewer: dict[str, Any]) -> Any:
        b, full = self.base_url, f"{org['login']}/{repo['name']}"
        u = f"{b}/repos/{full}"
        admin = bool(viewer["org_owner"])
        body: dict[str, Any] = {
            "id": repo["id"],
            "node_id": f"R_{repo['id']}",
            "name": repo["name"],
            "full_name": full,
            "owner": self._user(org["login"], "Organization"),
            "private": repo["private"],
            "html_url": f"{b}/{full}",
            "description": repo.get("description"),
            "fork": repo["fork"],
            "url": u,
            "archive_url": f"{u}/{{archive_format}}{{/ref}}",
            "assignees_url": f"{u}/assignees{{/user}}",
            "blobs_url": f"{u}/git/blobs{{/sha}}",
            "branches_url": f"{u}/branches{{/branch}}",
            "collaborators_url": f"{u}/collaborators{{/collaborator}}",
            "comments_url": f"{u}/comments{{/number}}",
            "commits_url": f"{u}/commits{{/sha}}",
            "compare_url": f"{u}/compare/{{base}}...{{head}}",
            "contents_url": f"{u}/contents/{{+path}}",
            "contributors_url": f"{u}/contributors",
            "deployments_url": f"{u}/deployments",
            "downloads_url": f"{u}/downloads",
            "events_url": f"{u}/events",
            "forks_url": f"{u}/forks",
            "git_commits_url": f"{u}/git/commits{{/sha}}",
            "git_refs_url": f"{u}/git/refs{{/sha}}",
            "git_tags_url": f"{u}/git/tags{{/sha}}",
            "hooks_url": f"{u}/hooks",
            "issue_comment_url": f"{u}/issues/comments{{/number}}",
            "issue_events_url": f"{u}/issues/events{{/number}}",
            "issues_url": f"{u}/issues{{/number}}",
            "keys_url": f"{u}/keys{{/key_id}}",
            "labels_url": f"{u}/labels{{/name}}",
            "languages_url": f"{u}/languages",
            "merges_url": f"{u}/merges",
            "milestones_url": f"{u}/milestones{{/number}}",
            "notifications_url": f"{u}/notifications{{?since,all,participating}}",
            "pulls_url": f"{u}/pulls{{/number}}",
            "releases_url": f"{u}/releases{{/id}}",
            "stargazers_url": f"{u}/stargazers",
            "statuses_url": f"{u}/statuses/{{sha}}",
            "subscribers_url": f"{u}/subscribers",
            "subscription_url": f"{u}/subscription",
            "tags_url": f"{u}/tags",
            "teams_url": f"{u}/teams",
            "trees_url": f"{u}/git/trees{{/sha}}",
            "clone_url": f"{b}/{full}.git",
            "default_branch": repo["default_branch"],
            "size": 0 if repo["empty"] else 1024,
            "archived": repo["archived"],
            "disabled": False,
            "visibility": "private" if repo["private"] else "public",
            "pushed_at": None if repo["empty"] else CREATED,
            "created_at": CREATED,
            "updated_at": CREATED,
            "permissions": {
                "admin": admin,
                "maintain": admin,
                "push": admin,
                "triage": admin,
                "pull": True,
            },
        }
        if admin:
            sa = dict(repo["security_and_analysis"])
            if repo["private"] and org["plan"] == "free":
                # GitHub Free offers no secret scanning or GHAS for private repositories,
                # and does not list the features
                for key in (
                    "advanced_security",
                    "secret_scanning",
                    "secret_scanning_push_protection",
                ):
                    sa.pop(key, None)
            body["security_and_analysis"] = sa
        return body

    def _repos(self, req: _Request) -> _Response:
        org = self._org_of(req.params["org"])
        kind = req.query.get("type", "all")
        if kind not in ("all", "public", "private", "forks", "sources", "member"):
            return _error(422, "Validation Failed")
        can_private = self._has(req.viewer, "repo")
        repos = [
            r
            for r in sorted(org["repos"], key=lambda r: r["name"].lower())
            if (can_private or not r["private"])
            and (kind != "public" or not r["private"])
            and (kind != "private" or r["private"])
            and (kind != "forks" or r["fork"])
            and (kind != "sources" or not r["fork"])
        ]
        return self._paginate(req, [self._repo_body(org, r, req.viewer) for r in repos])

    def _protection(self, req: _Request) -> _Response:
        org, repo = self._repo_of(req.params["owner"], req.params["repo"])
        denied = self._need_repo_admin(req, repo)
        if denied:
            return denied
        if repo["private"] and org["plan"] == "free":
            return _error(403, PLAN_MESSAGE, f"{DOCS}/branches/branch-protection")
        branch = req.params["branch"]
        if repo["empty"] or branch != repo["default_branch"]:
            if not repo["empty"] and branch in repo.get("branches", []):
                return _error(404, "Branch not protected")
            return _error(404, "Branch not found")
        p = repo["protection"]
        if p is None:
            return _error(404, "Branch not protected", f"{DOCS}/branches/branch-protection")
        full = f"{org['login']}/{repo['name']}"
        u = f"{self.base_url}/repos/{full}/branches/{quote(branch)}/protection"
        body: dict[str, Any] = {
            "url": u,
            "enforce_admins": {
                "url": f"{u}/enforce_admins",
                "enabled": p.get("enforce_admins", False),
            },
            "required_linear_history": {"enabled": p.get("required_linear_history", False)},
            "allow_force_pushes": {"enabled": p.get("allow_force_pushes", False)},
            "allow_deletions": {"enabled": p.get("allow_deletions", False)},
            "block_creations": {"enabled": False},
            "required_conversation_resolution": {"enabled": False},
            "required_signatures": {"url": f"{u}/required_signatures", "enabled": False},
            "lock_branch": {"enabled": False},
            "allow_fork_syncing": {"enabled": False},
        }
        if p.get("required_approving_review_count") is not None:
            body["required_pull_request_reviews"] = {
                "url": f"{u}/required_pull_request_reviews",
                "dismiss_stale_reviews": p.get("dismiss_stale_reviews", False),
                "require_code_owner_reviews": p.get("require_code_owner_reviews", False),
                "required_approving_review_count": p["required_approving_review_count"],
                "require_last_push_approval": False,
            }
            allow = p.get("bypass_pull_request_allowances")
            if allow is not None:
                body["required_pull_request_reviews"]["bypass_pull_request_allowances"] = {
                    "users": [self._user(login) for login in allow.get("users", [])],
                    "teams": [self._team(org, slug) for slug in allow.get("teams", [])],
                    "apps": [self._app(slug) for slug in allow.get("apps", [])],
                }
        checks = p.get("required_status_checks")
        if checks is not None:
            body["required_status_checks"] = {
                "url": f"{u}/required_status_checks",
                "strict": p.get("strict", False),
                "contexts": list(checks),
                "contexts_url": f"{u}/required_status_checks/contexts",
                "checks": [{"context": c, "app_id": None} for c in checks],
            }
        return _Response(200, body)

    def _applicable_rulesets(
        self, org: dict[str, Any], repo: dict[str, Any], branch: str | None
    ) -> list[tuple[str, dict[str, Any]]]:
        found: list[tuple[str, dict[str, Any]]] = []
        for rs in org["rulesets"]:
            if rs["target"] == "branch" and repo_matches(rs, repo["name"]):
                found.append(("Organization", rs))
        for rs in repo["rulesets"]:
            if rs["target"] == "branch":
                found.append(("Repository", rs))
        if branch is None:
            return found
        return [(k, rs) for k, rs in found if ref_matches(rs, branch, repo["default_branch"])]

    def _branch_rules(self, req: _Request) -> _Response:
        org, repo = self._repo_of(req.params["owner"], req.params["repo"])
        if repo["private"] and not self._has(req.viewer, "repo"):
            return _error(404, "Not Found", **{"X-Accepted-OAuth-Scopes": "repo"})
        if repo["private"] and org["plan"] == "free":
            return _error(403, PLAN_MESSAGE, f"{DOCS}/repos/rules")
        items = []
        for kind, rs in self._applicable_rulesets(org, repo, req.params["branch"]):
            if rs["enforcement"] != "active":
                continue
            source = org["login"] if kind == "Organization" else f"{org['login']}/{repo['name']}"
            for rule in rs["rules"]:
                item = dict(rule)
                item.update(
                    {"ruleset_source_type": kind, "ruleset_source": source, "ruleset_id": rs["id"]}
                )
                items.append(item)
        return self._paginate(req, items)

    def _ruleset_body(
        self,
        org: dict[str, Any],
        repo: dict[str, Any] | None,
        rs: dict[str, Any],
        kind: str,
        viewer: dict[str, Any],
    ) -> dict[str, Any]:
        b = self.base_url
        if kind == "Organization":
            source = org["login"]
            self_url = f"{b}/orgs/{org['login']}/rulesets/{rs['id']}"
            html = f"{b}/organizations/{org['login']}/settings/rules/{rs['id']}"
        else:
            assert repo is not None
            source = f"{org['login']}/{repo['name']}"
            self_url = f"{b}/repos/{source}/rulesets/{rs['id']}"
            html = f"{b}/{source}/rules/{rs['id']}"
        conditions: dict[str, Any] = {
            "ref_name": {"include": list(rs["include"]), "exclude": list(rs["exclude"])}
        }
        if kind == "Organization":
            conditions["repository_name"] = {
                "include": list(rs["repos"]),
                "exclude": list(rs["exclude_repos"]),
                "protected": False,
            }
        body: dict[str, Any] = {
            "id": rs["id"],
            "name": rs["name"],
            "target": rs["target"],
            "source_type": kind,
            "source": source,
            "enforcement": rs["enforcement"],
            "node_id": f"RRS_{rs['id']}",
            "_links": {"self": {"href": self_url}, "html": {"href": html}},
            "conditions": conditions,
            "rules": [dict(r) for r in rs["rules"]],
            "created_at": CREATED,
            "updated_at": CREATED,
        }
        if viewer["org_owner"]:
            body["bypass_actors"] = [dict(a) for a in rs["bypass_actors"]]
            body["current_user_can_bypass"] = "always" if rs["bypass_actors"] else "never"
        return body

    def _repo_ruleset(self, req: _Request) -> _Response:
        org, repo = self._repo_of(req.params["owner"], req.params["repo"])
        if repo["private"] and not self._has(req.viewer, "repo"):
            return _error(404, "Not Found", **{"X-Accepted-OAuth-Scopes": "repo"})
        wanted = int(req.params["ruleset_id"])
        parents = req.query.get("includes_parents", "true") != "false"
        for kind, rs in self._applicable_rulesets(org, repo, None):
            if rs["id"] == wanted and (parents or kind == "Repository"):
                return _Response(200, self._ruleset_body(org, repo, rs, kind, req.viewer))
        return _error(404, "Not Found")

    def _org_ruleset(self, req: _Request) -> _Response:
        org = self._org_of(req.params["org"])
        if not self._has(req.viewer, "read:org", "admin:org"):
            return _error(
                403, ORG_SCOPE_MESSAGE, **{"X-Accepted-OAuth-Scopes": "admin:org, read:org"}
            )
        wanted = int(req.params["ruleset_id"])
        for rs in org["rulesets"]:
            if rs["id"] == wanted:
                return _Response(200, self._ruleset_body(org, None, rs, "Organization", req.viewer))
        return _error(404, "Not Found")

    def _codeowners(self, req: _Request) -> _Response:
        _org, repo = self._repo_of(req.params["owner"], req.params["repo"])
        if repo["private"] and not self._has(req.viewer, "repo"):
            return _error(404, "Not Found", **{"X-Accepted-OAuth-Scopes": "repo"})
        if repo["empty"] or not repo["codeowners"]:
            return _error(404, "Not Found")
        errors = [
            {
                "line": e.get("line", 1),
                "column": e.get("column", 1),
                "kind": e.get("kind", "Unknown owner"),
                "source": e.get("source", "* @nobody"),
                "suggestion": None,
                "message": e.get("message", "Unknown owner on line 1"),
                "path": repo["codeowners"],
            }
            for e in repo["codeowners_errors"]
        ]
        return _Response(200, {"errors": errors})

    def _vuln_alerts(self, req: _Request) -> _Response:
        _org, repo = self._repo_of(req.params["owner"], req.params["repo"])
        denied = self._need_repo_admin(req, repo)
        if denied:
            return denied
        if repo["vulnerability_alerts"]:
            return _Response(204)
        return _error(404, "Vulnerability alerts are disabled.")

    def _collaborators(self, req: _Request) -> _Response:
        org, repo = self._repo_of(req.params["owner"], req.params["repo"])
        denied = self._need_repo_admin(req, repo)
        if denied:
            return denied
        affiliation = req.query.get("affiliation", "all")
        if affiliation not in ("outside", "direct", "all"):
            return _error(422, "Validation Failed")
        people: list[tuple[str, str]] = [
            (c["login"], c["permission"]) for c in repo["collaborators"]
        ]
        if affiliation == "all":
            default = org["default_repository_permission"]
            for m in org["members"]:
                perm = "admin" if m["role"] == "admin" else default
                if perm != "none":
                    people.append((m["login"], perm))
        order = ["read", "triage", "write", "maintain", "admin"]
        keys = ["pull", "triage", "push", "maintain", "admin"]
        out = []
        for login, perm in people:
            level = order.index(perm)
            body = self._user(login)
            body["permissions"] = {k: i <= level for i, k in enumerate(keys)}
            body["role_name"] = perm
            out.append(body)
        return self._paginate(req, out)

    def _installation_token(self, req: _Request) -> _Response:
        installation = int(req.params["installation_id"])
        if installation not in [int(i) for i in self.world["app_installations"]]:
            return _error(404, "Not Found")
        token = f"ghs_{uuid.uuid4().hex}"
        with self._lock:
            self._app_tokens.add(token)
        expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
        body = {
            "token": token,
            "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "permissions": {"administration": "read", "members": "read", "metadata": "read"},
            "repository_selection": "all",
        }
        return _Response(201, body)


class _HandlerBase(BaseHTTPRequestHandler):
    owner: FakeGitHub
    protocol_version = "HTTP/1.1"
    server_version = "FakeGitHub/1.0"
    # headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK add ~40 ms to every response
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, body, headers = self.owner.dispatch(
            self.command, self.path, self.headers.get("Authorization")
        )
        payload = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-GitHub-Request-Id", uuid.uuid4().hex[:16].upper())
        self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()
