"""Peak memory of the streaming formats against whole-text rendering.

    python benchmarks/reports/bench_reports.py [--findings 1000000] [--json]

Each case runs in a fresh subprocess and reports its peak RSS (``ru_maxrss``) above
the same process's RSS before any finding exists, and the time taken:

- ``stream``: N findings, made one at a time as the engine makes them, written
  through the ``jsonl`` (and ``csv``, ``ocsf-jsonl``) stream to a file: the reporter
  never holds more than one finding.
- ``whole``: the same N findings collected into a ``RunResult`` and rendered with
  ``render(result)`` (what a whole-text reporter needs: every finding in memory), at
  N / 10 to keep the machine responsive; scale linearly to compare.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _findings(n: int) -> Iterator[Any]:
    from soc2checks import Finding, Severity, Status

    for i in range(n):
        yield Finding(
            check_id=f"bench.check-{i % 10}",
            control_id="bench-control",
            criteria=["CC6.1", "CC6.7"],
            status=Status.FAIL if i % 7 == 0 else Status.PASS,
            severity=Severity.HIGH,
            provider="aws",
            scope={"account": "123456789012", "region": "eu-west-1"},
            resource_id=f"arn:aws:s3:::bucket-{i:07d}",
            resource_type="AWS::S3::Bucket",
            message="bucket is not encrypted" if i % 7 == 0 else "",
            evidence={"encrypted": i % 7 != 0, "versioning": True, "size": i},
            remediation="Turn on default encryption.",
        )


def _rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _case(mode: str, fmt: str, n: int) -> dict[str, Any]:
    from soc2checks import RunInfo, RunResult, Summary
    from soc2checks.reporters import BUILTIN_REPORTERS

    reporter: Any = BUILTIN_REPORTERS[fmt]
    base = _rss_kib()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out.{fmt}"
        with path.open("w", encoding="utf-8", newline="", buffering=1) as out:
            if mode == "stream":
                stream = reporter.start(out)
                for f in _findings(n):
                    stream.write(f)
                run = RunInfo(id="b", started_at=_now(), finished_at=_now(), tool_version="0")
                stream.finish(RunResult(run=run, summary=Summary(), findings=[]))
            else:
                findings = list(_findings(n))
                run = RunInfo(id="b", started_at=_now(), finished_at=_now(), tool_version="0")
                result = RunResult(run=run, summary=Summary.of(findings), findings=findings)
                out.write(reporter(result))
        size = path.stat().st_size
    return {
        "mode": mode,
        "format": fmt,
        "findings": n,
        "seconds": round(time.perf_counter() - t0, 2),
        "peak_rss_above_start_mib": round((_rss_kib() - base) / 1024, 1),
        "output_mib": round(size / 2**20, 1),
    }


def _now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--findings", type=int, default=1_000_000)
    ap.add_argument("--formats", default="jsonl")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--case", nargs=3, metavar=("MODE", "FORMAT", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        mode, fmt, n = args.case
        print(json.dumps(_case(mode, fmt, int(n))))
        return
    rows = []
    for fmt in args.formats.split(","):
        for mode, n in (("stream", args.findings), ("stream", args.findings // 10),
                        ("whole", args.findings // 10)):  # fmt: skip
            out = subprocess.run(
                [sys.executable, __file__, "--case", mode, fmt, str(n)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append(json.loads(out))
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for r in rows:
        print(
            f"{r['format']:<11} {r['mode']:<7} {r['findings']:>9,} findings  "
            f"peak RSS +{r['peak_rss_above_start_mib']:>7.1f} MiB  {r['seconds']:>7.1f} s  "
            f"output {r['output_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()
