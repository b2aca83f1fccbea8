"""Benchmark: every github check over an organization of N repositories on FakeGitHub.

Run: python benchmarks/github/bench_github.py --repos 1000 --delay 0.05 --workers 16
Prints wall time, requests per endpoint and requests per repository per endpoint.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import soc2checks
from soc2checks.testing.github import FakeGitHub


def world(n: int) -> dict[str, Any]:
    repos = []
    for i in range(n):
        kind = i % 4
        repo: dict[str, Any] = {
            "name": f"svc-{i:04}",
            "private": i % 5 != 0,
            "codeowners": ".github/CODEOWNERS" if i % 3 else None,
            "vulnerability_alerts": i % 2 == 0,
            "security_and_analysis": {"secret_scanning": {"status": "enabled"}},
        }
        if kind == 0:
            repo["protection"] = {
                "required_approving_review_count": 1,
                "enforce_admins": True,
                "required_status_checks": ["ci"],
            }
        elif kind == 1:
            repo["rulesets"] = [
                {
                    "id": 10_000 + i,
                    "rules": [
                        {
                            "type": "pull_request",
                            "parameters": {"required_approving_review_count": 2},
                        },
                        {"type": "non_fast_forward"},
                        {"type": "deletion"},
                    ],
                }
            ]
        if i % 50 == 0:
            repo["collaborators"] = [{"login": f"vendor-{i}", "permission": "admin"}]
        repos.append(repo)
    members = [{"login": f"dev-{i}", "two_factor": i % 40 != 0} for i in range(300)]
    members += [{"login": f"owner-{i}", "role": "admin"} for i in range(3)]
    return {
        "rate_limit": 1_000_000,
        "orgs": {
            "bigco": {
                "two_factor_requirement_enabled": True,
                "members": members,
                "rulesets": [
                    {
                        "id": 1,
                        "name": "org-baseline",
                        "repos": ["svc-*2"],
                        "rules": [{"type": "deletion"}],
                    }
                ],
                "repos": repos,
            }
        },
    }


def serve(n: int, delay: float, conn: Connection) -> None:
    """Run the fake in its own process, so it does not share the client's GIL."""
    with FakeGitHub(world(n), delay=delay) as gh:
        conn.send(gh.base_url)
        conn.recv()  # "stop"
        conn.send(dict(gh.requests))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repos", type=int, default=1000)
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--workers", type=int, default=16)
    args = ap.parse_args()
    ours, theirs = mp.Pipe()
    server = mp.Process(target=serve, args=(args.repos, args.delay, theirs), daemon=True)
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
            result = soc2checks.run(checks=["github.*"], providers=["github"], config=cfg)
            wall = time.perf_counter() - start
    finally:
        ours.send("stop")
        counts: dict[str, int] = ours.recv()
        server.join(timeout=10)
    print(f"repos={args.repos} delay={args.delay * 1000:.0f}ms workers={args.workers}")
    print(
        f"wall time: {wall:.1f}s   findings: {len(result.findings)}   "
        f"summary: {result.summary.as_dict()}"
    )
    total = sum(counts.values())
    print(f"requests: {total} ({total / args.repos:.2f} per repository)")
    print(f"{'endpoint':62} {'requests':>8} {'per repo':>9}")
    for route, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{route:62} {n:8} {n / args.repos:9.3f}")


if __name__ == "__main__":
    main()
