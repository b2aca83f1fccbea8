"""Engine overhead: N in-memory resources x 10 checks, no API latency at all.

    python benchmarks/engine/bench_engine.py [--resources 100000] [--jobs 16] [--json]

Reports findings per second (judging and finding construction only: the fixture is
an in-memory list), peak traced memory, and `soc2checks --help` start-up time as a
ratio of bare `python -c pass`.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import tracemalloc
import types
from typing import Any

from pydantic import BaseModel

from soc2checks import control, resource, skip
from soc2checks._config import Config
from soc2checks._engine import prepare, run_checks
from soc2checks._plugins import build_registry, wrap_extra


class Bucket(BaseModel):
    resource_id: str
    encrypted: bool
    versioning: bool
    public: bool
    tags: dict[str, str]
    size: int


def make_plugin(n: int) -> types.ModuleType:
    mod = types.ModuleType("bench_plugin")

    @resource("bench_buckets", scope="run", resource_type="Bench::Bucket")
    def buckets() -> list[Bucket]:
        return [
            Bucket(
                resource_id=f"arn:bench:bucket-{i:06d}",
                encrypted=i % 3 != 0,
                versioning=i % 5 != 0,
                public=i % 97 == 0,
                tags={"owner": "team"} if i % 2 else {},
                size=i,
            )
            for i in range(n)
        ]

    ctl = control("bench-control", criteria=["CC6.1"])
    mod.buckets = buckets  # type: ignore[attr-defined]

    def make_check(k: int) -> Any:
        @ctl.check(f"bench.bucket.check-{k:02d}", over="bench_buckets")
        def chk(b: Bucket, limit: int = 50_000) -> None:
            if k == 9 and b.size % 11 == 0:
                skip("not applicable")
            if k % 2:
                assert b.encrypted, f"{b.resource_id} not encrypted"
            else:
                assert b.versioning and not b.public, f"{b.resource_id} versioning off or public"

        return chk

    for k in range(10):
        setattr(mod, f"check_{k}", make_check(k))
    return mod


def startup_ratio() -> float:
    def best(cmd: list[str]) -> float:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - t)
        return min(times)

    bare = best([sys.executable, "-c", "pass"])
    helptime = best([sys.executable, "-m", "soc2checks.cli", "--help"])
    return helptime / bare, helptime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=16)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    plugin = make_plugin(args.resources)
    registry = build_registry(wrap_extra([plugin]))
    prep = prepare(config=Config(), registry=registry)
    # The timed run first, on a quiet heap (no earlier result alive).
    gc.collect()
    t1 = time.perf_counter()
    result = run_checks(prepared=prep, jobs=args.jobs)
    fast = time.perf_counter() - t1
    total = result.summary.total
    del result
    gc.collect()
    # Then the same run under tracemalloc, for peak memory (tracemalloc slows Python).
    tracemalloc.start()
    t0 = time.perf_counter()
    result = run_checks(prepared=prep, jobs=args.jobs)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The in-memory "fetch" (building N pydantic models) is provider work, not engine work.
    t2 = time.perf_counter()
    plugin.buckets()
    fetch = time.perf_counter() - t2
    ratio, helptime = startup_ratio()
    out = {
        "resources": args.resources,
        "checks": 10,
        "findings": result.summary.total,
        "findings_per_second": round(total / fast),
        "seconds": round(fast, 2),
        "engine_findings_per_second": round(total / max(1e-9, fast - fetch)),
        "fetch_seconds_in_memory": round(fetch, 2),
        "seconds_under_tracemalloc": round(elapsed, 2),
        "peak_traced_mb": round(peak / 2**20, 1),
        "bytes_per_finding": round(peak / max(1, result.summary.total)),
        "help_seconds": round(helptime, 3),
        "help_vs_bare_python": round(ratio, 1),
    }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for k, v in out.items():
            print(f"{k:28s} {v}")


if __name__ == "__main__":
    main()
