"""FakeGitHub's change-history endpoints: pulls, reviews, commits, statuses, rule suites.

Shapes follow GitHub's published OpenAPI description (``pull-request-simple``,
``pull-request-review``, ``commit``, ``combined-commit-status``, ``check-run``,
``rule-suites``); ``tests/github/test_openapi.py`` validates every route against it.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any

from soc2checks.testing.github._changes import Commit, History, Pull, build_history, iso, sha

if TYPE_CHECKING:
    from soc2checks.testing.github._server import FakeGitHub, _Request, _Response

PERIODS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30}


class ChangeRoutes:
    """The routes, bound to one fake; histories are built once per repository."""

    def __init__(self, fake: FakeGitHub) -> None:
        self.fake = fake
        self.now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self._lock = threading.Lock()
        self._histories: dict[str, History] = {}
        add = fake._add
        base = "/repos/{owner}/{repo}"
        add("GET", f"{base}/pulls", self.pulls)
        add("GET", f"{base}/pulls/{{pull_number}}/reviews", self.reviews)
        add("GET", f"{base}/pulls/{{pull_number}}/commits", self.pull_commits)
        add("GET", f"{base}/commits", self.commits)
        add("GET", f"{base}/commits/{{commit_sha}}/pulls", self.commit_pulls)
        add("GET", f"{base}/commits/{{ref}}/status", self.status)
        add("GET", f"{base}/commits/{{ref}}/check-runs", self.check_runs)
        add("GET", f"{base}/rulesets/rule-suites", self.rule_suites)

    # ---------------------------------------------------------------- helpers
    def history(self, req: _Request) -> tuple[dict[str, Any], dict[str, Any], History]:
        org, repo = self.fake._repo_of(req.params["owner"], req.params["repo"])
        full = f"{org['login']}/{repo['name']}"
        with self._lock:
            h = self._histories.get(full)
            if h is None:
                h = build_history(full, repo.get("changes") or {}, self.now)
                self._histories[full] = h
        return org, repo, h

    def denied(self, req: _Request, repo: dict[str, Any]) -> _Response | None:
        from soc2checks.testing.github._server import _error

        if repo["private"] and not self.fake._has(req.viewer, "repo"):
            return _error(404, "Not Found", **{"X-Accepted-OAuth-Scopes": "repo"})
        return None

    def _url(self, org: dict[str, Any], repo: dict[str, Any]) -> str:
        return f"{self.fake.base_url}/repos/{org['login']}/{repo['name']}"

    def _full_repo(self, org: dict[str, Any], repo: dict[str, Any]) -> Any:
        """The ``repository`` shape (the listing's, with the fields it leaves out)."""
        body = self.fake._repo_body(org, repo, {"org_owner": False})
        full = body["full_name"]
        host = self.fake.base_url.split("//", 1)[-1]
        body.update(
            {
                "forks": 0,
                "forks_count": 0,
                "git_url": f"git://{host}/{full}.git",
                "ssh_url": f"git@{host}:{full}.git",
                "svn_url": f"{self.fake.base_url}/{full}",
                "mirror_url": None,
                "homepage": None,
                "language": None,
                "license": None,
                "has_downloads": True,
                "has_issues": True,
                "has_projects": True,
                "has_wiki": False,
                "has_pages": False,
                "open_issues": 0,
                "open_issues_count": 0,
                "stargazers_count": 0,
                "watchers": 0,
                "watchers_count": 0,
            }
        )
        return body

    def _ref(self, org: dict[str, Any], repo: dict[str, Any], ref: str, at: str) -> Any:
        return {
            "label": f"{org['login']}:{ref}",
            "ref": ref,
            "repo": self._full_repo(org, repo),
            "sha": at,
            "user": self.fake._user(org["login"], "Organization"),
        }

    def _pull_body(self, org: dict[str, Any], repo: dict[str, Any], p: Pull) -> Any:
        u = f"{self._url(org, repo)}/pulls/{p.number}"
        html = f"{self.fake.base_url}/{org['login']}/{repo['name']}/pull/{p.number}"
        issue = f"{self._url(org, repo)}/issues/{p.number}"
        created = p.commits[0].date - dt.timedelta(minutes=5)
        link = {"href": u}
        return {
            "url": u,
            "id": 900_000 + p.number,
            "node_id": f"PR_{p.number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": issue,
            "commits_url": f"{u}/commits",
            "review_comments_url": f"{u}/comments",
            "review_comment_url": f"{self._url(org, repo)}/pulls/comments{{/number}}",
            "comments_url": f"{issue}/comments",
            "statuses_url": f"{self._url(org, repo)}/statuses/{p.head_sha}",
            "number": p.number,
            "state": "closed",
            "locked": False,
            "title": f"Change #{p.number}",
            "user": self.fake._user(p.author),
            "body": None,
            "labels": [],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": iso(created),
            "updated_at": iso(p.closed_at),
            "closed_at": iso(p.closed_at),
            "merged_at": iso(p.merged_at) if p.merged_at else None,
            "merge_commit_sha": p.merge_commit_sha,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": self._ref(org, repo, f"change-{p.number}", p.head_sha),
            "base": self._ref(org, repo, repo["default_branch"], p.commits[0].sha),
            "_links": {
                "self": link,
                "html": {"href": html},
                "issue": {"href": issue},
                "comments": {"href": f"{issue}/comments"},
                "review_comments": {"href": f"{u}/comments"},
                "review_comment": {"href": f"{self._url(org, repo)}/pulls/comments{{/number}}"},
                "commits": {"href": f"{u}/commits"},
                "statuses": {"href": f"{self._url(org, repo)}/statuses/{p.head_sha}"},
            },
            "author_association": "MEMBER",
            "auto_merge": None,
            "draft": False,
        }

    def _commit_body(self, org: dict[str, Any], repo: dict[str, Any], c: Commit) -> Any:
        u = f"{self._url(org, repo)}/commits/{c.sha}"
        html = f"{self.fake.base_url}/{org['login']}/{repo['name']}/commit/{c.sha}"

        def person(login: str | None) -> Any:
            return self.fake._user(login) if login and login != "?" else None

        def git_person(login: str | None) -> Any:
            name = login or "unknown"
            return {"name": name, "email": f"{name}@example.com", "date": iso(c.date)}

        return {
            "url": u,
            "sha": c.sha,
            "node_id": f"C_{c.sha[:12]}",
            "html_url": html,
            "comments_url": f"{u}/comments",
            "commit": {
                "url": f"{self._url(org, repo)}/git/commits/{c.sha}",
                "author": git_person(c.author),
                "committer": git_person(c.committer),
                "message": c.message,
                "comment_count": 0,
                "tree": {"sha": sha("tree", c.sha), "url": f"{self._url(org, repo)}/git/trees"},
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "payload": None,
                    "signature": None,
                    "verified_at": None,
                },
            },
            "author": person(c.author),
            "committer": person(c.committer),
            "parents": [
                {"sha": s, "url": f"{self._url(org, repo)}/commits/{s}", "html_url": html}
                for s in c.parents
            ],
        }

    # ----------------------------------------------------------------- routes
    def pulls(self, req: _Request) -> _Response:
        from soc2checks.testing.github._server import _error

        org, repo, h = self.history(req)
        denied = self.denied(req, repo)
        if denied:
            return denied
        state = req.query.get("state", "open")
        sort = req.query.get("sort", "created")
        direction = req.query.get("direction", "desc" if sort != "created" else "asc")
        if state not in ("open", "closed", "all") or sort not in (
            "created",
            "updated",
            "popularity",
            "long-running",
        ):
            return _error(422, "Validation Failed")
        found: list[Pull] = [] if state == "open" else list(h.pulls)
        base = req.query.get("base")
        if base and base != repo["default_branch"]:
            found = []

        def key(p: Pull) -> tuple[dt.datetime, int]:
            return (p.closed_at if sort == "updated" else p.commits[0].date), p.number

        found.sort(key=key, reverse=direction == "desc")
        return self.fake._paginate(req, [self._pull_body(org, repo, p) for p in found])

    def reviews(self, req: _Request) -> _Response:
        org, repo, h = self.history(req)
        denied = self.denied(req, repo)
        if denied:
            return denied
        p = h.pull(int(req.params["pull_number"]))
        out = []
        for i, r in enumerate(p.reviews):
            on = r.get("on", "head")
            commit = p.head_sha if on == "head" else p.commits[0].sha
            if on != "head" and len(p.commits) == 1:
                commit = sha("earlier", p.number)
            html = f"{self.fake.base_url}/{org['login']}/{repo['name']}/pull/{p.number}"
            out.append(
                {
                    "id": 80_000 + p.number * 100 + i,
                    "node_id": f"PRR_{p.number}_{i}",
                    "user": self.fake._user(r["user"]),
                    "body": r.get("body", ""),
                    "state": r.get("state", "APPROVED"),
                    "html_url": f"{html}#pullrequestreview-{i}",
                    "pull_request_url": f"{self._url(org, repo)}/pulls/{p.number}",
                    "_links": {
                        "html": {"href": html},
                        "pull_request": {"href": f"{self._url(org, repo)}/pulls/{p.number}"},
                    },
                    "submitted_at": iso(p.closed_at - dt.timedelta(minutes=30 - i)),
                    "commit_id": commit,
                    "author_association": "MEMBER",
                }
            )
        return self.fake._paginate(req, out)

    def pull_commits(self, req: _Request) -> _Response:
        org, repo, h = self.history(req)
        denied = self.denied(req, repo)
        if denied:
            return denied
        p = h.pull(int(req.params["pull_number"]))
        return self.fake._paginate(req, [self._commit_body(org, repo, c) for c in p.commits])

    def commits(self, req: _Request) -> _Response:
        from soc2checks.testing.github._server import _error

        org, repo, h = self.history(req)
        denied = self.denied(req, repo)
        if denied:
            return denied
        if repo["empty"]:
            return _error(409, "Git Repository is empty.")
        ref = req.query.get("sha", repo["default_branch"])
        if ref != repo["default_branch"]:
            return _error(404, "No commit found for SHA: " + ref)
        try:
            since = _time(req.query.get("since"))
            until = _time(req.query.get("until"))
        except ValueError:
            return _error(400, "Invalid time")
        found = [
            c
            for c in h.branch
            if (since is None or c.date >= since) and (until is None or c.date <= until)
        ]
        return self.fake._paginate(req, [self._commit_body(org, repo, c) for c in found])

    def commit_pulls(self, req: _Request) -> _Response:
        org, repo, h = self.history(req)
        denied = self.denied(req, repo)
        if denied:
            return denied
        c = h.by_sha.get(req.params["commit_sha"])
        if c is None:
            from soc2checks.testing.github._server import _error

            return _error(422, "No commit found for SHA: " + req.params["commit_sha"])
        return self.fake._paginate(
            req, [self._pull_body(org, repo, h.pull(n)) for n in sorted(c.pulls)]
        )

    def status(self, req: _Request) -> _Response:
        from soc2checks.testing.github._server import _Response

        org, repo, h = self.history(req)
        denied = self.denied(req, repo)
        if denied:
            return denied
        p, at = h.head_of(req.params["ref"])
        statuses = []
        contexts = dict(p.statuses) if p else {}
        for i, (context, state) in enumerate(sorted(contexts.items())):
            statuses.append(
                {
                    "url": f"{self._url(org, repo)}/statuses/{at}",
                    "avatar_url": None,
                    "id": 70_000 + i,
                    "node_id": f"SC_{i}",
                    "state": state,
                    "description": None,
                    "target_url": None,
                    "context": context,
                    "created_at": iso(self.now),
                    "updated_at": iso(self.now),
                }
            )
        states = set(contexts.values())
        overall = (
            "failure"
            if states & {"failure", "error"}
            else "pending"
            if not states or "pending" in states
            else "success"
        )
        body = {
            "state": overall,
            "statuses": statuses,
            "sha": at,
            "total_count": len(statuses),
            "repository": self.fake._repo_body(org, repo, {"org_owner": False}),
            "commit_url": f"{self._url(org, repo)}/commits/{at}",
            "url": f"{self._url(org, repo)}/commits/{at}/status",
        }
        return _Response(200, body)

    def check_runs(self, req: _Request) -> _Response:

        org, repo, h = self.history(req)
        denied = self.denied(req, repo)
        if denied:
            return denied
        p, at = h.head_of(req.params["ref"])
        runs = []
        for i, (name, conclusion) in enumerate(sorted((p.check_runs if p else {}).items())):
            u = f"{self._url(org, repo)}/check-runs/{60_000 + i}"
            runs.append(
                {
                    "id": 60_000 + i,
                    "head_sha": at,
                    "node_id": f"CR_{i}",
                    "external_id": None,
                    "url": u,
                    "html_url": None,
                    "details_url": None,
                    "status": "completed" if conclusion != "in_progress" else "in_progress",
                    "conclusion": conclusion if conclusion != "in_progress" else None,
                    "started_at": iso(self.now),
                    "completed_at": iso(self.now),
                    "output": {
                        "title": None,
                        "summary": None,
                        "text": None,
                        "annotations_count": 0,
                        "annotations_url": f"{u}/annotations",
                    },
                    "name": name,
                    "check_suite": {"id": 50_000},
                    "app": None,
                    "pull_requests": [],
                }
            )
        page = self.fake._paginate(req, runs)
        page.body = {"total_count": len(runs), "check_runs": page.body}
        return page

    def rule_suites(self, req: _Request) -> _Response:
        from soc2checks.testing.github._server import _error

        _org, repo, h = self.history(req)
        denied = self.fake._need_repo_admin(req, repo)
        if denied:
            return denied
        period = req.query.get("time_period", "day")
        result = req.query.get("rule_suite_result", "all")
        if period not in PERIODS or result not in ("pass", "fail", "bypass", "all"):
            return _error(422, "Validation Failed")
        ref = req.query.get("ref")
        since = self.now - dt.timedelta(days=PERIODS[period])
        out = []
        for s in h.suites:
            when = dt.datetime.fromisoformat(s["pushed_at"].replace("Z", "+00:00"))
            if when < since or (result != "all" and s["result"] != result):
                continue
            if ref and ref not in (repo["default_branch"], f"refs/heads/{repo['default_branch']}"):
                continue
            out.append(
                {
                    **s,
                    "ref": f"refs/heads/{repo['default_branch']}",
                    "repository_id": repo["id"],
                    "repository_name": repo["name"],
                    "actor_id": self.fake._uid(s["actor_name"]),
                }
            )
        out.sort(key=lambda s: (s["pushed_at"], s["id"]), reverse=True)
        return self.fake._paginate(req, out)


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
