"""Benchmark: the change-management population of N merged pull requests across R repos.

Run: python benchmarks/github/bench_changes.py --pulls 2000 --repos 20 --delay 0.02
Prints wall time, requests per endpoint, and the requests against the REST minimum.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import soc2checks
from soc2checks.testing.github import FakeGitHub


def world(pulls: int, repos: int) -> dict[str, Any]:
    per = pulls // repos
    out = []
    for r in range(repos):
        prs = []
        for n in range(1, per + 1):
            prs.append(
                {
                    "number": n,
                    "author": f"dev-{n % 7}",
                    "days_ago": 0.5 + 25 * n / per,  # within the month rule suites cover
                    "method": ("squash", "merge", "rebase")[n % 10 % 3] if n % 10 < 3 else "squash",
                    "commits": [{}, {}] if n % 10 < 3 else [{}],
                    "reviews": [{"user": "self" if n == 7 else "reviewer"}],
                    "statuses": {"ci": "success"},
                }
            )
        if r == 0:
            prs[6]["author"] = "self"  # the self-approved pull request
        out.append(
            {
                "name": f"svc-{r:02}",
                "rulesets": [
                    {
                        "id": 100 + r,
                        "rules": [
                            {
                                "type": "pull_request",
                                "parameters": {"dismiss_stale_reviews_on_push": True},
                            },
                            {
                                "type": "required_status_checks",
                                "parameters": {"required_status_checks": [{"context": "ci"}]},
                            },
                        ],
                    }
                ],
                "changes": {
                    "pulls": prs,
                    "pushes": [{"author": "admin", "days_ago": 3}] if r == 0 else [],
                },
            }
        )
    return {
        "rate_limit": 1_000_000,
        "orgs": {"bigco": {"members": [{"login": "owner", "role": "admin"}], "repos": out}},
    }


def serve(pulls: int, repos: int, delay: float, conn: Connection) -> None:
    with FakeGitHub(world(pulls, repos), delay=delay) as gh:
        conn.send(gh.base_url)
        conn.recv()
        conn.send(dict(gh.requests))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pulls", type=int, default=2000)
    ap.add_argument("--repos", type=int, default=20)
    ap.add_argument("--delay", type=float, default=0.02)
    ap.add_argument("--workers", type=int, default=16)
    args = ap.parse_args()
    ours, theirs = mp.Pipe()
    server = mp.Process(
        target=serve, args=(args.pulls, args.repos, args.delay, theirs), daemon=True
    )
    server.start()
    base_url = ours.recv()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cfg = Path(tmp) / "soc2checks.toml"
            cfg.write_text(
                f'[github]\norgs = ["bigco"]\nbase_url = "{base_url}"\ntoken = "t"\n'
                f"max_workers = {args.workers}\n",
                encoding="utf-8",
            )
            start = time.perf_counter()
            result = soc2checks.run(checks=["github.change.*"], providers=["github"], config=cfg)
            wall = time.perf_counter() - start
    finally:
        ours.send("stop")
        counts: dict[str, int] = ours.recv()
        server.join(timeout=10)
    per = args.pulls // args.repos
    branch_commits = per + 2 * sum(1 for n in range(1, per + 1) if n % 10 in (1, 2))
    # minimum over REST: per repository the two listings at 100 a page, the branch rules
    # (protection + effective rules + one ruleset), one rule-suites page; per pull request
    # its commits, its reviews and its combined status; per rebased commit (not the last)
    # and direct push one commits/{sha}/pulls; plus /rate_limit, /orgs/{org}, the listing
    listing = args.repos * (math.ceil(per / 100) + math.ceil(branch_commits / 100))
    rebased = args.repos * sum(1 for n in range(1, per + 1) if n % 10 == 2)
    minimum = listing + args.repos * 4 + 3 * args.pulls + rebased + 1 + 3
    total = sum(counts.values())
    fails = sorted(f.resource_id for f in result.findings if f.status.value == "fail")
    print(f"pulls={args.pulls} repos={args.repos} delay={args.delay * 1000:.0f}ms")
    print(f"wall time: {wall:.1f}s  findings: {len(result.findings)}  {result.summary.as_dict()}")
    print(f"fails: {fails}")
    print(f"requests: {total}  minimum: {minimum}  ratio: {total / minimum:.2f}")
    for route, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{route:62} {n:8}")


if __name__ == "__main__":
    main()
