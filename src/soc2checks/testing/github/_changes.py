"""The change history of a fake repository: pull requests, the default branch, statuses.

A repository of a world may carry ``changes``::

    "changes": {
      "pulls": [{
        "number": 7, "author": "erin-dev", "merged_by": "bob-sre",
        "days_ago": 3,                      # or "merged_at": "2026-01-02T03:04:05Z"
        "method": "squash",                 # merge | squash | rebase
        "merged": true,                     # false: closed without merging
        "commits": [{"author": "erin-dev"}],  # default: one commit by the author
        "reviews": [{"user": "bob-sre", "state": "APPROVED", "on": "head"}],  # on: head | old
        "statuses": {"ci": "success"},      # commit statuses on the head commit
        "check_runs": {"build": "success"}, # check runs on the head commit (conclusion)
        "bypass": false                     # merged by bypassing a ruleset (rule suites)
      }],
      "pushes": [{"author": "bob-sre", "days_ago": 2, "bypass": true}]  # no pull request
    }

From it the fake derives the default branch's history the way GitHub builds it: a
merge commit (two parents, the pull request's commits reachable through the second),
one squashed commit, or the pull request's commits rewritten one by one (rebase), and
direct pushes in between, each with a stable SHA.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def sha(*parts: object) -> str:
    """A stable 40-hex SHA for the parts."""
    return hashlib.sha1("/".join(str(p) for p in parts).encode()).hexdigest()


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class Commit:
    sha: str
    author: str | None
    committer: str | None
    date: dt.datetime
    parents: list[str]
    message: str
    pulls: list[int] = field(default_factory=list)


@dataclass
class Pull:
    number: int
    author: str
    merged_by: str | None
    merged_at: dt.datetime | None
    closed_at: dt.datetime
    method: str
    commits: list[Commit]
    merge_commit_sha: str | None
    reviews: list[dict[str, Any]]
    statuses: dict[str, str]
    check_runs: dict[str, str]
    bypass: bool

    @property
    def head_sha(self) -> str:
        return self.commits[-1].sha


@dataclass
class History:
    """A repository's pull requests and default-branch commits (newest first)."""

    pulls: list[Pull]
    branch: list[Commit]
    by_sha: dict[str, Commit]
    suites: list[dict[str, Any]]

    def pull(self, number: int) -> Pull:
        for p in self.pulls:
            if p.number == number:
                return p
        raise KeyError(number)

    def head_of(self, ref: str) -> tuple[Pull | None, str]:
        """The pull request whose head (or merge) commit ``ref`` is, and the SHA."""
        for p in self.pulls:
            if ref in (p.head_sha, p.merge_commit_sha):
                return p, ref
        raise KeyError(ref)


def _when(spec: dict[str, Any], key: str, now: dt.datetime) -> dt.datetime:
    if spec.get(key):
        return parse_time(str(spec[key]))
    return now - dt.timedelta(days=float(spec.get("days_ago", 1)))


def build_history(full_name: str, changes: dict[str, Any], now: dt.datetime) -> History:
    """The history of repository ``full_name`` from its ``changes`` (see module doc)."""
    pulls: list[Pull] = []
    events: list[tuple[dt.datetime, int, Any]] = []
    for i, spec in enumerate(changes.get("pulls") or []):
        number = int(spec.get("number", i + 1))
        author = str(spec.get("author", "dev"))
        closed = _when(spec, "merged_at", now)
        merged = bool(spec.get("merged", True))
        commit_specs = spec.get("commits") or [{"author": author}]
        commits = []
        for j, c in enumerate(commit_specs):
            who = c.get("author", author)
            when = closed - dt.timedelta(hours=len(commit_specs) - j)
            commits.append(
                Commit(
                    sha(full_name, "pr", number, j),
                    who,
                    c.get("committer", who),
                    when,
                    [],
                    f"change {j} of #{number}",
                    [number],
                )
            )
        for a, b in itertools.pairwise(commits):
            b.parents = [a.sha]
        method = str(spec.get("method", "squash"))
        pull = Pull(
            number=number,
            author=author,
            merged_by=spec.get("merged_by", "lead") if merged else None,
            merged_at=closed if merged else None,
            closed_at=closed,
            method=method,
            commits=commits,
            merge_commit_sha=None,
            reviews=list(spec.get("reviews") or []),
            statuses=dict(spec.get("statuses") or {}),
            check_runs=dict(spec.get("check_runs") or {}),
            bypass=bool(spec.get("bypass", False)),
        )
        pulls.append(pull)
        if merged:
            events.append((closed, 0, pull))
    for i, spec in enumerate(changes.get("pushes") or []):
        events.append((_when(spec, "date", now), 1, (i, spec)))
    events.sort(key=lambda e: (e[0], e[1]))
    branch: list[Commit] = []
    suites: list[dict[str, Any]] = []
    head: str | None = None
    for when, kind, item in events:
        before = head
        if kind == 1:
            i, spec = item
            who = spec.get("author", "admin")
            c = Commit(sha(full_name, "push", i), who, who, when, [head] if head else [], "push")
            branch.append(c)
            head = c.sha
            actor = who
        else:
            p: Pull = item
            base = [head] if head else []
            if p.method == "merge":
                if p.commits and not p.commits[0].parents:
                    p.commits[0].parents = list(base)
                branch.extend(p.commits)
                m = Commit(
                    sha(full_name, "merge", p.number),
                    p.merged_by,
                    "web-flow",
                    when,
                    [*base, p.head_sha],
                    f"Merge pull request #{p.number}",
                    [p.number],
                )
                branch.append(m)
            elif p.method == "rebase":
                prev = base
                for j, orig in enumerate(p.commits):
                    m = Commit(
                        sha(full_name, "rebase", p.number, j),
                        orig.author,
                        "web-flow",
                        when,
                        list(prev),
                        orig.message,
                        [p.number],
                    )
                    branch.append(m)
                    prev = [m.sha]
            else:
                m = Commit(
                    sha(full_name, "squash", p.number),
                    p.author,
                    "web-flow",
                    when,
                    list(base),
                    f"change (#{p.number})",
                    [p.number],
                )
                branch.append(m)
            p.merge_commit_sha = m.sha
            head = m.sha
            actor = p.merged_by or "?"
            spec = {"bypass": p.bypass}
        if spec.get("bypass"):
            suites.append(
                {
                    "id": len(suites) + 1,
                    "actor_name": actor,
                    "before_sha": before or "0" * 40,
                    "after_sha": head,
                    "ref": "",
                    "pushed_at": iso(when),
                    "result": "bypass",
                    "evaluation_result": "fail",
                }
            )
    by_sha = {c.sha: c for c in branch}
    for p in pulls:
        for c in p.commits:
            by_sha.setdefault(c.sha, c)
    branch.sort(key=lambda c: (c.date, c.sha), reverse=True)
    return History(pulls=pulls, branch=branch, by_sha=by_sha, suites=suites)
