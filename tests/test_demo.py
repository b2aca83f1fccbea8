"""`soc2checks demo` runs every provider against the simulated estate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_demo_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    r = subprocess.run(
        [sys.executable, "-m", "soc2checks.cli", "demo", "--output-dir", str(tmp_path / "out")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    providers = {f["provider"] for f in doc["findings"]}
    assert providers == {"aws", "github", "files", "gcp", "azure"}
    gcp_checks = {f["check_id"] for f in doc["findings"] if f["provider"] == "gcp"}
    assert len(gcp_checks) == 17
    assert doc["run"]["facts"]["gcp"]["projects_count"] == 3
    summary = doc["summary"]
    # A realistic company: some good, some bad, and everything judged.
    assert summary["pass"] > 0 and summary["fail"] > 0
    assert summary["error"] == 0, [f["message"] for f in doc["findings"] if f["status"] == "error"]
    checks_run = {f["check_id"] for f in doc["findings"]}
    assert len(checks_run) >= 50
    # every Trust Services Criterion is judged by some finding that is not a skip
    judged = {c for f in doc["findings"] if f["status"] != "skip" for c in f["criteria"]}
    assert len(judged) == 61, sorted(judged)
    for name in ("report.html", "report.md", "junit.xml", "findings.sarif"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert "soc2checks:" in r.stdout and "CC6.1" in r.stdout
