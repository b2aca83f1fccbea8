"""Evidence store: size and write time per run, for the demo estate and a synthetic estate.

    python benchmarks/store/bench_store.py [--resources 10000] [--runs 3] [--demo-runs 3]
                                           [--days 90 --period-resources 1000] [--json]

Synthetic: N resources x 10 checks (N=10,000 gives 100,000 findings per run); run 1
writes everything, run 2 is unchanged, run 3 onwards flips 1% of the resources. The
demo estate (moto AWS, fake GitHub, compliance files) is recorded ``--demo-runs``
times. Reports bytes per run, write time per run as a ratio of the engine's run time,
and ``state --at``, ``history`` and ``verify`` times. Times are process CPU seconds
(``time.process_time``, all threads): on a shared machine wall time mostly measures
the neighbours.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
import types
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from soc2checks import control, resource
from soc2checks._capture import Capture
from soc2checks._config import Config, load_config
from soc2checks._engine import prepare, run_checks
from soc2checks._plugins import build_registry, discover_entry_points, wrap_extra
from soc2checks.store import open_store

FLIP: dict[str, int] = {"every": 0}


class Bucket(BaseModel):
    resource_id: str
    encrypted: bool
    versioning: bool
    tags: dict[str, str]
    size: int


def make_plugin(n: int) -> types.ModuleType:
    mod = types.ModuleType("bench_store_plugin")

    @resource("bench_buckets", scope="run", resource_type="Bench::Bucket")
    def buckets() -> list[Bucket]:
        every = FLIP["every"]
        return [
            Bucket(
                resource_id=f"arn:bench:bucket-{i:06d}",
                encrypted=(i % 3 != 0) != bool(every and i % every == 0),
                versioning=i % 5 != 0,
                tags={"owner": "team"} if i % 2 else {},
                size=i,
            )
            for i in range(n)
        ]

    ctl = control("bench-control", criteria=["CC6.1"])
    mod.buckets = buckets  # type: ignore[attr-defined]

    def make_check(k: int) -> Any:
        @ctl.check(f"bench.bucket.check-{k:02d}", over="bench_buckets")
        def chk(b: Bucket) -> None:
            if k % 2:
                assert b.encrypted, f"{b.resource_id} not encrypted"
            else:
                assert b.versioning, f"{b.resource_id} versioning off"

        return chk

    for k in range(10):
        setattr(mod, f"check_{k}", make_check(k))
    return mod


def _size(url: str) -> int:
    path = Path(url.split(":///", 1)[1])
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def synthetic(url: str, n: int, runs: int) -> dict[str, Any]:
    registry = build_registry(wrap_extra((make_plugin(n),)))
    prep = prepare(config=Config(), registry=registry)
    out: list[dict[str, Any]] = []
    store = open_store(url)
    before = _size(url)
    for i in range(runs):
        FLIP["every"] = 0 if i < 2 else 100 + i  # run 3+: ~1% of resources change
        cap = Capture()
        t0 = time.process_time()
        result = run_checks(prepared=prep, capture=cap)
        t1 = time.process_time()
        store.record(result, cap)
        t2 = time.process_time()
        size = _size(url)
        out.append(
            {
                "run": i + 1,
                "findings": len(result.findings),
                "engine_cpu_s": round(t1 - t0, 2),
                "write_cpu_s": round(t2 - t1, 2),
                "write_per_engine": round((t2 - t1) / (t1 - t0), 2),
                "bytes_added": size - before,
            }
        )
        before = size
    t0 = time.process_time()
    _, state = store.state_at(dt.datetime.now(dt.timezone.utc))
    t_state = time.process_time() - t0
    t0 = time.process_time()
    store.history()
    t_hist = time.process_time() - t0
    t0 = time.process_time()
    ok = store.verify().ok
    t_verify = time.process_time() - t0
    store.close()
    return {
        "resources": n,
        "runs": out,
        "store_bytes": _size(url),
        "state_at_cpu_s": round(t_state, 2),
        "state_findings": len(state),
        "history_cpu_s": round(t_hist, 3),
        "verify_cpu_s": round(t_verify, 2),
        "verify_ok": ok,
    }


def period(url: str, n: int, days: int) -> dict[str, Any]:
    """``days`` daily runs (1% of resources flip on some days, every 10th day skipped),
    then ``report --period`` over all of them and ``state --at`` in the middle."""
    registry = build_registry(wrap_extra((make_plugin(n),)))
    prep = prepare(config=Config(), registry=registry)
    day0 = dt.datetime(2026, 1, 1, 6, tzinfo=dt.timezone.utc)
    store = open_store(url)
    write = 0.0
    recorded = 0
    for day in range(days):
        if day % 10 == 9:
            continue
        FLIP["every"] = 0 if day % 3 else 100 + day % 7
        cap = Capture()
        result = run_checks(prepared=prep, capture=cap)
        took = result.run.finished_at - result.run.started_at
        start = day0 + dt.timedelta(days=day)
        run = result.run.model_copy(update={"started_at": start, "finished_at": start + took})
        result = result.model_copy(update={"run": run})
        t0 = time.process_time()
        store.record(result, cap)
        write += time.process_time() - t0
        recorded += 1
    end = day0 + dt.timedelta(days=days)
    t0 = time.process_time()
    doc = store.period_report(
        day0 - dt.timedelta(hours=6), end, expected_interval=dt.timedelta(hours=36)
    )
    t_report = time.process_time() - t0
    t0 = time.process_time()
    store.state_at(day0 + dt.timedelta(days=days // 2))
    t_state = time.process_time() - t0
    store.close()
    return {
        "resources": n,
        "findings_per_run": n * 10,
        "runs": recorded,
        "store_bytes": _size(url),
        "write_cpu_s_per_run": round(write / recorded, 3),
        "report_period_cpu_s": round(t_report, 2),
        "deviations": len(doc["deviations"]),
        "gaps": len(doc["gaps"] or []),
        "state_at_cpu_s": round(t_state, 2),
    }


def demo(url: str, runs: int) -> dict[str, Any]:
    from soc2checks._demo import simulated_estate

    today = dt.datetime.now(dt.timezone.utc).date()
    out = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        simulated_estate(Path(tmp), today) as (config_path, _providers, _notes),
    ):
        store = open_store(url)
        before = _size(url)
        for i in range(runs):
            config = load_config(config_path)
            prep = prepare(config=config, registry=build_registry(discover_entry_points()))
            cap = Capture()
            t0 = time.process_time()
            result = run_checks(prepared=prep, today=today, capture=cap)
            t1 = time.process_time()
            store.record(result, cap)
            t2 = time.process_time()
            size = _size(url)
            out.append(
                {
                    "run": i + 1,
                    "findings": len(result.findings),
                    "populations": len(cap.populations),
                    "engine_cpu_s": round(t1 - t0, 2),
                    "write_cpu_s": round(t2 - t1, 3),
                    "write_per_engine": round((t2 - t1) / (t1 - t0), 3),
                    "bytes_added": size - before,
                }
            )
            before = size
        store.close()
    return {"runs": out, "store_bytes": _size(url)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--demo-runs", type=int, default=3)
    ap.add_argument("--days", type=int, default=0, help="also: N daily runs and a period report")
    ap.add_argument("--period-resources", type=int, default=1000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = {
            "demo": demo(f"sqlite:///{tmp}/demo.db", args.demo_runs) if args.demo_runs else None,
            "synthetic": synthetic(f"sqlite:///{tmp}/synthetic.db", args.resources, args.runs),
            "period": (
                period(f"sqlite:///{tmp}/period.db", args.period_resources, args.days)
                if args.days
                else None
            ),
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, part in report.items():
        if part is None:
            continue
        print(f"== {name}")
        if isinstance(part["runs"], int):
            print("  " + ", ".join(f"{k}={v}" for k, v in part.items()))
            continue
        for r in part["runs"]:
            print("  " + ", ".join(f"{k}={v}" for k, v in r.items()))
        rest = {k: v for k, v in part.items() if k != "runs"}
        print("  " + ", ".join(f"{k}={v}" for k, v in rest.items()))


if __name__ == "__main__":
    os.environ.setdefault("SOC2CHECKS_DISABLE_PLUGIN_AUTOLOAD", "1")
    main()
