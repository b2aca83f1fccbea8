"""Records engine: read a large HRIS-sized export and judge security training over it.

Writes a roster of N people and 3 training completions each (CSV), then times
(a) Python's csv module reading the same files (the floor), (b) the records engine
reading them into typed rows with lines and problems, (c) the training check judging
every person. Prints times and the ratio of (b) to (a).

    python benchmarks/files/bench_records.py [N]
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from soc2checks_controls.security_training import files_security_training
from soc2checks_files._read_records import read_record_book
from soc2checks_files.models import FilesRoot
from soc2checks_files.record_types import RECORD_TYPES

TODAY = dt.date(2026, 6, 1)


def _write(folder: Path, n: int) -> None:
    records = folder / "records"
    records.mkdir(parents=True)
    with (records / "personnel.csv").open("w", encoding="utf-8") as f:
        f.write("email,name,start_date,end_date,status\n")
        for i in range(n):
            start = TODAY - dt.timedelta(days=40 + i % 2000)
            f.write(f"p{i}@acme.test,Person {i},{start},,active\n")
    with (records / "training.csv").open("w", encoding="utf-8") as f:
        f.write("email,course,completed_on\n")
        for i in range(n):
            for year in range(3):
                day = TODAY - dt.timedelta(days=30 + 365 * year + i % 300)
                f.write(f"p{i}@acme.test,SAT {2026 - year},{day}\n")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(folder, n)
        root = FilesRoot(folder="compliance", path=str(folder))
        t0 = time.perf_counter()
        for name in ("personnel.csv", "training.csv"):
            with (folder / "records" / name).open(encoding="utf-8") as f:
                sum(1 for _ in csv.reader(f))
        t_csv = time.perf_counter() - t0
        t0 = time.perf_counter()
        book = read_record_book(root, folder, RECORD_TYPES)
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        findings = list(files_security_training(book, TODAY))
        t_judge = time.perf_counter() - t0
    rows = book.get("personnel").row_count + book.get("training").row_count
    print(f"{n} people, {rows} rows, {len(findings)} findings")
    print(f"csv module (floor): {t_csv:.3f}s")
    print(f"records engine:     {t_read:.3f}s  ({t_read / t_csv:.1f}x the floor)")
    print(f"training check:     {t_judge:.3f}s")


if __name__ == "__main__":
    main()
