"""Benchmark: every gcp check over an organization of N projects on FakeGcp.

Run: python benchmarks/gcp/bench_gcp.py --projects 200 --delay 0.03 --workers 16
Prints wall time, findings, requests per route against the minimum the checks need,
and (with --growth) the ratio of requests and wall time at N against N/2.
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
from soc2checks.testing.gcp import FakeGcp

BUCKETS, BINDINGS, SAS, FIREWALLS, KEYS = 3, 6, 2, 4, 2
FOLDERS = 10


def world(n: int) -> dict[str, Any]:
    folders = [{"id": str(300000000000 + f), "display_name": f"team-{f}"} for f in range(FOLDERS)]
    full = {
        "service": "allServices",
        "auditLogConfigs": [{"logType": t} for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE")],
    }
    projects = []
    for i in range(n):
        pid = f"svc-{i:04}-prod"
        projects.append(
            {
                "project_id": pid,
                "parent": f"folders/{300000000000 + i % FOLDERS}",
                "iam": {
                    "bindings": [
                        {
                            "role": f"roles/viewer{r}" if r else "roles/editor",
                            "members": [f"user:dev{r}@example.com"],
                        }
                        for r in range(BINDINGS)
                    ]
                },
                "metadata": {"enable-oslogin": "TRUE" if i % 2 else "FALSE"},
                "buckets": [
                    {
                        "name": f"{pid}-b{b}",
                        "public_access_prevention": "enforced",
                        "versioning": b % 2 == 0,
                        "iam": {"bindings": []},
                    }
                    for b in range(BUCKETS)
                ],
                "service_accounts": [
                    {
                        "email": f"sa{s}@{pid}.iam.gserviceaccount.com",
                        "keys": [{"id": f"k{s}", "created": "2025-01-01T00:00:00Z"}],
                    }
                    for s in range(SAS)
                ],
                "firewalls": [
                    {
                        "name": f"fw-{f}",
                        "sourceRanges": ["0.0.0.0/0" if f == 0 else "10.0.0.0/8"],
                        "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}],
                    }
                    for f in range(FIREWALLS)
                ],
                "sinks": [{"name": "all", "destination": "storage.googleapis.com/logs"}],
                "sql_instances": [
                    {"name": "db", "ipv4": False, "backups": True, "ssl_mode": "ENCRYPTED_ONLY"}
                ],
                "kms": [
                    {
                        "location": "global",
                        "key_ring": "ring",
                        "keys": [
                            {"name": f"k{k}", "rotation_period": "7776000s"} for k in range(KEYS)
                        ],
                    }
                ],
            }
        )
    return {
        "organization": {
            "id": "123456789012",
            "domain": "example.com",
            "iam": {"auditConfigs": [full]},
        },
        "folders": folders,
        "projects": projects,
        "page_size": 500,
    }


def minimum(n: int) -> dict[str, int]:
    """Requests the selected checks cannot do without, by route."""
    parents = 1 + FOLDERS
    return {
        "GET /v3/folders": parents,
        "GET /v3/projects": parents,
        "POST /v3/projects/{project}:getIamPolicy": n,
        "POST /v3/folders/{folder}:getIamPolicy": FOLDERS,
        "POST /v3/organizations/{organization}:getIamPolicy": 1,
        "GET /storage/v1/b": n,
        "GET /storage/v1/b/{bucket}/iam": n * BUCKETS,
        "GET /v1/projects/{project}/serviceAccounts": n,
        "GET /v1/projects/{project}/serviceAccounts/{account}/keys": n * SAS,
        "GET /compute/v1/projects/{project}/global/firewalls": n,
        "GET /compute/v1/projects/{project}": n,
        "GET /sql/v1beta4/projects/{project}/instances": n,
        "GET /v2/projects/{project}/sinks": n,
        "GET /v1/projects/{project}/locations/{location}/keyRings": n,
        "GET /v1/projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys": n,
    }


def serve(n: int, delay: float, conn: Connection) -> None:
    """Run the fake in its own process, so it does not share the scanner's GIL."""
    with FakeGcp(world(n), delay=delay) as fake:
        conn.send(fake.base_url)
        conn.recv()
        conn.send(dict(fake.requests))


def measure(n: int, delay: float, workers: int) -> tuple[float, dict[str, int], dict[str, int]]:
    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=serve, args=(n, delay, child), daemon=True)
    proc.start()
    base_url = parent.recv()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cfg = Path(tmp) / "soc2checks.toml"
            cfg.write_text(
                "\n".join(
                    [
                        'providers = ["gcp"]',
                        "[gcp]",
                        'organization = "123456789012"',
                        f'endpoint = "{base_url}"',
                        "anonymous = true",
                        'kms_locations = ["global"]',
                        f"max_workers = {workers}",
                        "",
                        '[params."gcp.iam.external-members"]',
                        'allowed_domains = ["example.com"]',
                    ]
                )
                + "\n",
                encoding="utf-8",
            )
            start = time.perf_counter()
            result = soc2checks.run(checks=["gcp.*"], providers=["gcp"], config=cfg, jobs=workers)
            wall = time.perf_counter() - start
        parent.send("done")
        counts = parent.recv()
    finally:
        proc.join(timeout=10)
    s = result.summary
    summary = {"pass": s.pass_, "fail": s.fail, "error": s.error, "skip": s.skip}
    return wall, counts, summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--projects", type=int, default=200)
    ap.add_argument("--delay", type=float, default=0.03)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--growth", action="store_true", help="also run N/2 and print ratios")
    args = ap.parse_args()
    wall, counts, summary = measure(args.projects, args.delay, args.workers)
    need = minimum(args.projects)
    total, least = sum(counts.values()), sum(need.values())
    print(f"{args.projects} projects, delay {args.delay * 1000:.0f} ms, {args.workers} workers")
    print(f"wall {wall:.1f} s; findings {summary}")
    print(f"requests {total} against a minimum of {least}: ratio {total / least:.3f}")
    print(f"{'route':<78} {'requests':>9} {'minimum':>8}")
    for route in sorted(set(counts) | set(need)):
        print(f"{route:<78} {counts.get(route, 0):>9} {need.get(route, 0):>8}")
    if args.growth:
        half_wall, half_counts, _ = measure(args.projects // 2, args.delay, args.workers)
        print(
            f"growth N/2 -> N: requests x{total / sum(half_counts.values()):.2f}, "
            f"wall x{wall / half_wall:.2f}"
        )


if __name__ == "__main__":
    main()
