"""Helpers for access-review tests: start, fill in, back-date and close review files.

Review files are made by the real CLI (``soc2checks access-review start``) from live
principals; the helpers only play the reviewer's part (decisions) and, to test dates,
re-date a file the way a review started earlier would be (recomputing its digest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from soc2checks.cli import main
from soc2checks_access.reviews import digest_of, file_name

TODAY = dt.datetime.now(dt.timezone.utc).date()

Decide = Callable[[dict[str, Any]], dict[str, Any] | None]


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def start(config: Path, *systems: str, capsys: pytest.CaptureFixture[str]) -> list[Path]:
    """Run ``access-review start``; the files it wrote."""
    rc = main(["access-review", "start", *systems, "-c", str(config)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    return [Path(line.split(" ", 1)[1]) for line in out.splitlines() if line.startswith("started ")]


def close(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run ``access-review close``; its exit code and its one line of output or error."""
    rc = main(["access-review", "close", str(path)])
    out, err = capsys.readouterr()
    return rc, (out + err).strip()


def keep_all(reviewer: str = "lead-reviewer") -> Decide:
    def decide(entry: dict[str, Any]) -> dict[str, Any]:
        return {"decision": "keep", "reviewer": reviewer, "reviewed_on": TODAY.isoformat()}

    return decide


def fill(path: Path, decide: Decide) -> None:
    """Set decision fields of each entry (``decide`` returns the fields, or ``None``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["entries"]:
        got = decide(entry)
        if got:
            entry.update(got)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def redate(path: Path, started: dt.date, completed: dt.date | None = None) -> Path:
    """Make the file a review started (and completed) earlier, digest recomputed.

    The file is renamed as ``start`` would have named it on that day; its new path."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["started_on"] = started.isoformat()
    data["digest"] = digest_of(data["system"], data["started_on"], data["entries"])
    if completed is not None:
        data["status"] = "completed"
        data["completed_on"] = completed.isoformat()
    path.unlink()
    path = path.with_name(file_name(data["system"], started))
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def entries(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["entries"])


def by_check(result: Any, check: str) -> dict[str, Any]:
    """Findings of one check by resource ID."""
    return {f.resource_id: f for f in result.findings if f.check_id == check}
