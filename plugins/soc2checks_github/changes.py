"""Fixtures of the change-management population: what reached each default branch.

The population of a period (``[github] change_period_days``, 90) is taken from both
sides, with REST at 100 items a page:

* merged pull requests: ``GET /repos/{repo}/pulls?state=closed&base={branch}
  &sort=updated&direction=desc``, read until a page reaches pull requests last updated
  before the period (a pull request merged in the period was updated in it), keeping
  those with ``merged_at`` in the period;
* commits: ``GET /repos/{repo}/commits?sha={branch}&since=&until=``.

They are matched without further requests where the listings suffice: a commit whose
SHA is a pull request's ``merge_commit_sha`` (merge commit, squash commit, or the last
commit of a rebase merge) belongs to it, and so does every commit merged in through the
second parent of a merge commit. Each commit still unmatched costs one ``GET
/repos/{repo}/commits/{sha}/pulls`` (the other commits of a rebase merge); one that
belongs to no merged pull request is a direct push.

Per merged pull request, only for the checks selected: its commits and reviews
(``github.change.reviewed``), the combined status and, if a required context is not
among the statuses, the check runs of its head commit (``github.change.checks-passed``).
Per repository with rulesets, the rule suites that bypassed them
(``github.change.no-bypass``).

Before each phase the requests it needs are compared with what the token has left
(``GET /rate_limit``, read once): a phase that cannot fit is not started, its changes
become ``error`` findings, and the run says so in one warning line.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from soc2checks import resource
from soc2checks_github.client import GithubClient, GithubProviderError, _next_link
from soc2checks_github.models import (
    BranchCommit,
    BranchRules,
    ChangePopulation,
    GithubOrg,
    GithubRepo,
    MergedPull,
    PullBypass,
    PullChecks,
    PullReview,
)
from soc2checks_github.resources import FG_ADMIN, FG_CONTENTS, FG_METADATA, REPO, REPO_ADMIN

if TYPE_CHECKING:
    from soc2checks import RunFacts

NEEDS_CONTENTS = "the repo scope (fine-grained: Contents: read and Pull requests: read)"
NEEDS_STATUS = "the repo scope (fine-grained: Commit statuses: read and Checks: read)"
NEEDS_SUITES = (
    "the repo scope and admin rights on the repository to read rule suites "
    "(fine-grained: Repository administration: read)"
)
FG_PULLS = "fine:Pull requests: read"
FG_STATUSES = "fine:Commit statuses: read"
FG_CHECKS = "fine:Checks: read"
RULE_SUITE_DAYS = 30  # time_period=month, the longest GitHub offers
WEB_FLOW = "web-flow"


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------ budget
class RequestBudget:
    """What the token has left (``GET /rate_limit`` once) and what phases reserved."""

    def __init__(self, client: GithubClient, run_facts: RunFacts) -> None:
        self._lock = threading.Lock()
        self.run_facts = run_facts
        _s, _h, data = client.get("/rate_limit", needs="any token")
        core = (data.get("resources") or {}).get("core") or data.get("rate") or {}
        self.limit = int(core.get("limit") or 0)
        self.remaining = int(core.get("remaining") or 0)
        self.reset = int(core.get("reset") or 0)
        self.reserved: dict[str, int] = {}
        self.refused: dict[str, int] = {}
        self._record()

    def _record(self) -> None:
        self.run_facts.record(
            "github",
            "request_budget",
            {
                "limit": self.limit,
                "remaining_at_start": self.remaining,
                "reset": _iso(dt.datetime.fromtimestamp(self.reset, dt.timezone.utc)),
                "reserved": dict(sorted(self.reserved.items())),
                "refused": dict(sorted(self.refused.items())),
            },
        )

    def reserve(self, requests: int, what: str) -> str | None:
        """Reserve ``requests`` for ``what``; the reason it does not fit, or None."""
        with self._lock:
            spent = sum(self.reserved.values())
            left = self.remaining - spent
            if requests <= left:
                self.reserved[what] = self.reserved.get(what, 0) + requests
                self._record()
                return None
            self.refused[what] = self.refused.get(what, 0) + requests
            self._record()
            reset = dt.datetime.fromtimestamp(self.reset, dt.timezone.utc).strftime("%H:%M UTC")
        why = (
            f"GitHub request budget: {what} needs about {requests} requests but the token "
            f"has {max(left, 0)} of {self.limit} left until {reset} (GET /rate_limit), so "
            "it was not started and its changes were not judged; run again after the "
            "reset, shorten [github] change_period_days, scan fewer repositories, or use a "
            "GitHub App token (higher limit)"
        )
        self.run_facts.warn(why)
        return why


def _budget(client: GithubClient, run_facts: RunFacts) -> RequestBudget:
    return client.once("changes:budget", lambda: RequestBudget(client, run_facts))


# ----------------------------------------------------------------- listing
@dataclass
class _RepoChanges:
    repo: GithubRepo
    population: ChangePopulation
    pulls: list[dict[str, Any]] = field(default_factory=list)
    commits: list[dict[str, Any]] = field(default_factory=list)
    matched: dict[str, tuple[list[int], str]] = field(default_factory=dict)
    error: str | None = None

    @property
    def unmatched(self) -> list[dict[str, Any]]:
        return [c for c in self.commits if c["sha"] not in self.matched]


def _period(client: GithubClient) -> tuple[dt.datetime, dt.datetime]:
    def compute() -> tuple[dt.datetime, dt.datetime]:
        # whole UTC days, ending with today: two runs on one day ask the same queries
        today = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        end = today + dt.timedelta(days=1) - dt.timedelta(seconds=1)
        return today + dt.timedelta(days=1 - client.settings.change_period_days), end

    return client.once("changes:period", compute)


def _list_pulls(
    client: GithubClient, repo: GithubRepo, start: dt.datetime, end: dt.datetime
) -> tuple[list[dict[str, Any]], str]:
    """Merged pull requests of the period, newest update first, stopping past it."""
    path = f"/repos/{repo.full_name}/pulls"
    params: dict[str, Any] | None = {
        "state": "closed",
        "base": repo.default_branch,
        "sort": "updated",
        "direction": "desc",
        "per_page": 100,
    }
    url: str | None = path
    found: list[dict[str, Any]] = []
    pages = 0
    while url:
        _s, headers, data = client.get(url, params, needs=NEEDS_CONTENTS)
        pages += 1
        if not isinstance(data, list):
            raise GithubProviderError(f"GET {path}: expected a list of pull requests")
        past = False
        for pr in data:
            updated = _time(pr.get("updated_at"))
            if updated is None:
                raise GithubProviderError(f"GET {path}: a pull request without updated_at")
            if updated < start:
                past = True
                break
            merged = _time(pr.get("merged_at"))
            if merged is not None and start <= merged <= end:
                found.append(pr)
        if past:
            break
        url = _next_link(headers.get("link"))
        params = None
    query = (
        f"GET {path}?state=closed&base={repo.default_branch}&sort=updated&direction=desc"
        f"&per_page=100: {pages} page(s), read until updated_at < {_iso(start)}; kept "
        f"merged_at in [{_iso(start)}, {_iso(end)}]: {len(found)}"
    )
    return found, query


def _match(rc: _RepoChanges) -> None:
    """Match commits to pull requests from the listings alone (no request)."""
    by_merge = {
        pr["merge_commit_sha"]: int(pr["number"]) for pr in rc.pulls if pr.get("merge_commit_sha")
    }
    listed = {c["sha"]: c for c in rc.commits}
    parents = {c["sha"]: [p["sha"] for p in c.get("parents") or []] for c in rc.commits}
    # the first-parent line of the branch, from its newest commit
    mainline: set[str] = set()
    at: str | None = rc.commits[0]["sha"] if rc.commits else None
    while at is not None and at in listed and at not in mainline:
        mainline.add(at)
        firsts = parents.get(at) or []
        at = firsts[0] if firsts else None
    for sha, number in by_merge.items():
        if sha not in listed:
            continue
        rc.matched[sha] = ([number], "merge_commit_sha")
        todo = list(parents.get(sha, [])[1:])
        while todo:
            s = todo.pop()
            if s not in listed or s in mainline or s in rc.matched:
                continue
            rc.matched[s] = ([number], f"merged through #{number} (second parent of {sha[:12]})")
            todo.extend(parents.get(s, []))


def _repo_listing(
    client: GithubClient, repo: GithubRepo, start: dt.datetime, end: dt.datetime
) -> _RepoChanges:
    pop = ChangePopulation(
        repo=repo.full_name,
        branch=repo.default_branch,
        period_start=_iso(start),
        period_end=_iso(end),
    )
    rc = _RepoChanges(repo=repo, population=pop)
    try:
        rc.pulls, query = _list_pulls(client, repo, start, end)
        pop.queries.append(query)
        path = f"/repos/{repo.full_name}/commits"
        params = {"sha": repo.default_branch, "since": _iso(start), "until": _iso(end)}
        rc.commits = client.paginate(path, params, needs=NEEDS_CONTENTS)
        pop.queries.append(
            f"GET {path}?sha={repo.default_branch}&since={_iso(start)}&until={_iso(end)}"
            f"&per_page=100: {len(rc.commits)} commit(s)"
        )
    except GithubProviderError as exc:
        rc.error = str(exc)
        return rc
    _match(rc)
    pop.merged_pulls = len(rc.pulls)
    pop.commits = len(rc.commits)
    return rc


def _listings(
    org: GithubOrg, repos: list[GithubRepo], client: GithubClient, run_facts: RunFacts
) -> list[_RepoChanges]:
    """Every repository's listing of the period, once per run and organization."""

    def compute() -> list[_RepoChanges]:
        start, end = _period(client)
        budget = _budget(client, run_facts)
        out: list[_RepoChanges] = []
        todo: list[GithubRepo] = []
        for repo in repos:
            pop = ChangePopulation(
                repo=repo.full_name,
                branch=repo.default_branch,
                period_start=_iso(start),
                period_end=_iso(end),
            )
            if repo.unseen:
                out.append(_RepoChanges(repo, pop, error=repo.unseen))
            elif repo.empty or not repo.default_branch:
                out.append(_RepoChanges(repo, pop))
            else:
                todo.append(repo)
        why = budget.reserve(2 * len(todo), f"listing the changes of {org.login}")
        if why:
            out += [
                _RepoChanges(
                    r,
                    ChangePopulation(
                        repo=r.full_name, period_start=_iso(start), period_end=_iso(end)
                    ),
                    error=why,
                )
                for r in todo
            ]
        else:
            out += client.map(lambda r: _repo_listing(client, r, start, end), todo)
        out.sort(key=lambda rc: rc.repo.full_name)
        run_facts.record(
            "github",
            f"{org.login}.changes",
            {
                "period": [_iso(start), _iso(end)],
                "repositories": len(todo),
                "merged_pulls": sum(len(rc.pulls) for rc in out),
                "commits": sum(len(rc.commits) for rc in out),
                "listing_errors": sum(1 for rc in out if rc.error),
            },
        )
        return out

    return client.once(f"changes:{org.login}", compute)


def _pull_base(rc: _RepoChanges, pr: dict[str, Any]) -> dict[str, Any]:
    return {
        "repo": rc.repo.full_name,
        "number": int(pr["number"]),
        "author": (pr.get("user") or {}).get("login"),
        "merged_at": pr.get("merged_at"),
        "head_sha": (pr.get("head") or {}).get("sha"),
        "merge_commit_sha": pr.get("merge_commit_sha"),
        "population": rc.population,
    }


def _placeholder(rc: _RepoChanges, error: str) -> dict[str, Any]:
    return {
        "repo": rc.repo.full_name,
        "number": 0,
        "error": error,
        "population": rc.population,
    }


# ---------------------------------------------------------------- fixtures
@resource(
    "github_branch_commits",
    scope="org",
    permissions=[REPO, FG_CONTENTS, FG_METADATA],
    resource_type="GitHub::Commit",
)
def github_branch_commits(
    github_org: GithubOrg,
    github_repos: list[GithubRepo],
    github_client: GithubClient,
    run_facts: RunFacts,
) -> list[BranchCommit]:
    """Every commit that reached a default branch in the period, matched to the merged
    pull request it belongs to (none for a direct push or an admin's push)."""
    client = github_client
    listings = _listings(github_org, github_repos, client, run_facts)
    out: list[BranchCommit] = []
    pending = [(rc, c) for rc in listings if not rc.error for c in rc.unmatched]
    why = _budget(client, run_facts).reserve(
        len(pending), f"matching {len(pending)} commit(s) to pull requests in {github_org.login}"
    )

    def lookup(item: tuple[_RepoChanges, dict[str, Any]]) -> tuple[list[int], str] | str:
        rc, c = item
        path = f"/repos/{rc.repo.full_name}/commits/{c['sha']}/pulls"
        try:
            pulls = client.paginate(path, needs=NEEDS_CONTENTS)
        except GithubProviderError as exc:
            return str(exc)
        numbers = sorted(
            int(p["number"])
            for p in pulls
            if p.get("merged_at") and (p.get("base") or {}).get("ref") == rc.repo.default_branch
        )
        return numbers, f"GET {path}"

    found = [why] * len(pending) if why else client.map(lookup, pending)
    errors: dict[str, str] = {}
    for (rc, c), result in zip(pending, found, strict=True):
        if isinstance(result, str):
            errors[c["sha"]] = result
        elif result[0]:
            rc.matched[c["sha"]] = result
    for rc in listings:
        if rc.error:
            out.append(
                BranchCommit(
                    repo=rc.repo.full_name,
                    sha="(not listed)",
                    error=rc.error,
                    population=rc.population,
                )
            )
            continue
        if rc.repo.empty or not rc.repo.default_branch:
            continue
        # A copy: the population is shared with the pull-request fixtures, which run
        # concurrently; mutating it would make their evidence depend on timing.
        pop = rc.population.model_copy(
            update={"direct_commits": sum(1 for c in rc.commits if c["sha"] not in rc.matched)}
        )
        for c in rc.commits:
            git = c.get("commit") or {}
            numbers, how = rc.matched.get(c["sha"], ([], None))
            out.append(
                BranchCommit(
                    repo=rc.repo.full_name,
                    sha=c["sha"],
                    date=(git.get("committer") or {}).get("date"),
                    author=(c.get("author") or {}).get("login")
                    or (git.get("author") or {}).get("name"),
                    committer=(c.get("committer") or {}).get("login")
                    or (git.get("committer") or {}).get("name"),
                    message=str(git.get("message") or "").split("\n", 1)[0][:120],
                    pulls=numbers,
                    matched_by=how,
                    error=errors.get(c["sha"]),
                    population=pop,
                )
            )
    return out


def _rules_of(rules: list[BranchRules]) -> dict[str, BranchRules]:
    return {r.repo: r for r in rules}


@resource(
    "github_merged_pulls",
    scope="org",
    permissions=[REPO, REPO_ADMIN, FG_CONTENTS, FG_PULLS, FG_ADMIN],
    resource_type="GitHub::PullRequest",
)
def github_merged_pulls(
    github_org: GithubOrg,
    github_repos: list[GithubRepo],
    github_branch_rules: list[BranchRules],
    github_client: GithubClient,
    run_facts: RunFacts,
) -> list[MergedPull]:
    """Pull requests merged into each default branch in the period, with their reviews
    and the author and committer of their head commit (two requests each)."""
    client = github_client
    listings = _listings(github_org, github_repos, client, run_facts)
    rules = _rules_of(github_branch_rules)
    todo = [(rc, pr) for rc in listings if not rc.error for pr in rc.pulls]
    why = _budget(client, run_facts).reserve(
        2 * len(todo),
        f"reading reviews of {len(todo)} merged pull request(s) in {github_org.login}",
    )

    def fetch(item: tuple[_RepoChanges, dict[str, Any]]) -> MergedPull:
        rc, pr = item
        base = _pull_base(rc, pr)
        r = rules.get(rc.repo.full_name)
        base["dismiss_stale_reviews"] = bool(r and r.dismiss_stale_reviews)
        base["merged_by"] = (pr.get("merged_by") or {}).get("login")
        if why:
            return MergedPull(**base, error=why)
        n = base["number"]
        prefix = f"/repos/{rc.repo.full_name}/pulls/{n}"
        try:
            commits = client.paginate(f"{prefix}/commits", needs=NEEDS_CONTENTS)
            reviews = client.paginate(f"{prefix}/reviews", needs=NEEDS_CONTENTS)
        except GithubProviderError as exc:
            return MergedPull(**base, error=str(exc))
        last = commits[-1] if commits else {}
        people = {(last.get(k) or {}).get("login") for k in ("author", "committer")} - {
            None,
            WEB_FLOW,
        }
        return MergedPull(
            **base,
            last_committers=sorted(str(p) for p in people),
            reviews=[
                PullReview(
                    user=(rv.get("user") or {}).get("login"),
                    state=str(rv.get("state") or ""),
                    commit_id=rv.get("commit_id"),
                )
                for rv in reviews
            ],
        )

    out = [MergedPull(**_placeholder(rc, rc.error)) for rc in listings if rc.error]
    return out + client.map(fetch, todo)


@resource(
    "github_pull_checks",
    scope="org",
    permissions=[REPO, REPO_ADMIN, FG_CONTENTS, FG_STATUSES, FG_CHECKS, FG_ADMIN],
    resource_type="GitHub::PullRequest",
)
def github_pull_checks(
    github_org: GithubOrg,
    github_repos: list[GithubRepo],
    github_branch_rules: list[BranchRules],
    github_client: GithubClient,
    run_facts: RunFacts,
) -> list[PullChecks]:
    """The required status checks of each merged pull request's base branch and their
    results on its head commit: the combined status, and the check runs when a required
    context is not among the statuses."""
    client = github_client
    listings = _listings(github_org, github_repos, client, run_facts)
    rules = _rules_of(github_branch_rules)

    def required(rc: _RepoChanges) -> list[str] | str:
        r = rules.get(rc.repo.full_name)
        if r is None:
            return f"the branch rules of {rc.repo.full_name} were not read (could not verify)"
        if r.error:
            return r.error
        found: set[str] = set()
        for s in r.sources:
            found |= set(s.required_status_checks or [])
        return sorted(found)

    todo = [(rc, pr) for rc in listings if not rc.error for pr in rc.pulls]
    needing = sum(1 for rc, _pr in todo if required(rc))
    why = _budget(client, run_facts).reserve(
        2 * needing,
        f"reading status checks of {needing} merged pull request(s) in {github_org.login}",
    )

    def fetch(item: tuple[_RepoChanges, dict[str, Any]]) -> PullChecks:
        rc, pr = item
        base = _pull_base(rc, pr)
        need = required(rc)
        if isinstance(need, str):
            return PullChecks(**base, error=need)
        if not need:
            return PullChecks(**base, required=[])
        if why:
            return PullChecks(**base, required=need, error=why)
        head = quote(str(base["head_sha"]), safe="")
        prefix = f"/repos/{rc.repo.full_name}/commits/{head}"
        results: dict[str, str] = {}
        try:
            _s, _h, data = client.get(f"{prefix}/status", {"per_page": 100}, needs=NEEDS_STATUS)
            for st in (data or {}).get("statuses") or []:
                results.setdefault(str(st.get("context")), str(st.get("state")))
            if not set(need) <= set(results):
                url: str | None = f"{prefix}/check-runs"
                params: dict[str, Any] | None = {"per_page": 100, "filter": "latest"}
                while url:
                    _s, headers, page = client.get(url, params, needs=NEEDS_STATUS)
                    for run in (page or {}).get("check_runs") or []:
                        results.setdefault(
                            str(run.get("name")), str(run.get("conclusion") or run.get("status"))
                        )
                    url, params = _next_link(headers.get("link")), None
        except GithubProviderError as exc:
            return PullChecks(**base, required=need, error=str(exc))
        return PullChecks(**base, required=need, results=dict(sorted(results.items())))

    out = [PullChecks(**_placeholder(rc, rc.error)) for rc in listings if rc.error]
    return out + client.map(fetch, todo)


@resource(
    "github_pull_bypass",
    scope="org",
    permissions=[REPO, REPO_ADMIN, FG_ADMIN],
    resource_type="GitHub::PullRequest",
)
def github_pull_bypass(
    github_org: GithubOrg,
    github_repos: list[GithubRepo],
    github_branch_rules: list[BranchRules],
    github_client: GithubClient,
    run_facts: RunFacts,
) -> list[PullBypass]:
    """Whether each merged pull request's merge bypassed a ruleset of its base branch:
    one ``GET .../rulesets/rule-suites?rule_suite_result=bypass&time_period=month`` per
    repository with rulesets, matched on the merge commit."""
    client = github_client
    listings = _listings(github_org, github_repos, client, run_facts)
    rules = _rules_of(github_branch_rules)
    with_pulls = [rc for rc in listings if not rc.error and rc.pulls]
    suites_of = [
        rc
        for rc in with_pulls
        if (r := rules.get(rc.repo.full_name)) and any(s.kind == "ruleset" for s in r.sources)
    ]
    why = _budget(client, run_facts).reserve(
        len(suites_of),
        f"reading rule suites of {len(suites_of)} repositories in {github_org.login}",
    )
    # time_period=month covers the last 30 days from the request, not from the period end
    # (rounded up to the next midnight UTC: deterministic, and never older than GitHub keeps)
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=RULE_SUITE_DAYS)
    since = since.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)

    queries: dict[str, str] = {}  # repo -> its rule-suites query, for this fixture's evidence

    def suites(rc: _RepoChanges) -> dict[str, str] | str:
        if why:
            return why
        path = f"/repos/{rc.repo.full_name}/rulesets/rule-suites"
        params = {
            "ref": f"refs/heads/{rc.repo.default_branch}",
            "time_period": "month",
            "rule_suite_result": "bypass",
        }
        try:
            found = client.paginate(path, params, needs=NEEDS_SUITES)
        except GithubProviderError as exc:
            return str(exc)
        queries[rc.repo.full_name] = (
            f"GET {path}?ref=refs/heads/{rc.repo.default_branch}&time_period=month"
            f"&rule_suite_result=bypass: {len(found)} bypass(es)"
        )
        return {str(s.get("after_sha")): str(s.get("actor_name")) for s in found}

    by_repo = dict(
        zip((rc.repo.full_name for rc in suites_of), client.map(suites, suites_of), strict=True)
    )
    out = [PullBypass(**_placeholder(rc, rc.error)) for rc in listings if rc.error]
    for rc in with_pulls:
        r = rules.get(rc.repo.full_name)
        layers = [s for s in r.sources if s.kind == "ruleset"] if r else []
        classic = [s for s in r.sources if s.kind == "classic"] if r else []
        found = by_repo.get(rc.repo.full_name, {})
        for pr in rc.pulls:
            base = _pull_base(rc, pr)
            base["merged_by"] = (pr.get("merged_by") or {}).get("login")
            if rc.repo.full_name in queries:
                pop = rc.population
                base["population"] = pop.model_copy(
                    update={"queries": [*pop.queries, queries[rc.repo.full_name]]}
                )
            item = PullBypass(
                **base,
                protected=bool(r and r.protected),
                ruleset_layers=len(layers),
                classic_bypass=[b.label for s in classic for b in s.bypass or []],
                suites_since=_iso(since) if layers else None,
            )
            if r is None or r.error:
                item.error = (r.error if r else None) or "branch rules not read (could not verify)"
            elif isinstance(found, str):
                item.error = found
            else:
                item.bypassed_by = found.get(str(pr.get("merge_commit_sha")))
            out.append(item)
    return out
