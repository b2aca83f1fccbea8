"""Lint and type-check as part of the suite: ruff clean, mypy --strict clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


# ruff and mypy come with the [test] extra: run them from this interpreter (never skip
# because a console script is not on PATH; a missing module fails the test).
def test_ruff_clean() -> None:
    r = _run(
        sys.executable, "-m", "ruff", "check", "src", "plugins", "controls", "tests", "benchmarks"
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_strict_clean() -> None:
    r = _run(sys.executable, "-m", "mypy")
    assert r.returncode == 0, r.stdout[-5000:] + r.stderr


def test_no_sdk_imported_at_start_up() -> None:
    code = (
        "import sys, soc2checks, soc2checks.cli;"
        "from soc2checks._plugins import discover_entry_points, build_registry;"
        "build_registry(discover_entry_points());"
        "bad = [m for m in ('boto3', 'botocore', 'github', 'moto') if m in sys.modules];"
        "print(','.join(bad))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"SDKs imported while loading plugins: {r.stdout}"


def test_checks_never_import_an_sdk() -> None:
    for path in (ROOT / "controls").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for sdk in ("boto3", "botocore", "github", "googleapiclient", "azure"):
            assert f"import {sdk}" not in text and f"from {sdk}" not in text, (path, sdk)
