"""The composite action and the example workflows: real flags, a summary under 1 MiB."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest
import yaml

from soc2checks._model import Finding, RunInfo, RunResult, Status, Summary
from soc2checks.cli import build_parser
from soc2checks.reporters.markdown import render

ROOT = Path(__file__).resolve().parents[2]
FILES = ["action.yml", "examples/github-workflow.yml", "examples/monitoring-workflow.yml"]
MIB = 1024 * 1024


def _scripts(doc: dict) -> list[str]:
    steps = (
        doc["runs"]["steps"]
        if "runs" in doc
        else [s for job in doc["jobs"].values() for s in job["steps"]]
    )
    return [s["run"] for s in steps if "run" in s]


def _soc2checks_commands(script: str) -> list[list[str]]:
    joined = script.replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line.startswith("soc2checks "):
            out.append(shlex.split(re.sub(r"\$\w+", "", line)))
    return out


def _run_options() -> set[str]:
    parser = build_parser()
    run = next(
        a
        for a in parser._subparsers._group_actions  # type: ignore[union-attr]
    ).choices["run"]
    return {opt for action in run._actions for opt in action.option_strings}


@pytest.mark.parametrize("name", ["action.yml", "examples/monitoring-workflow.yml"])
def test_commands_use_real_flags(name: str) -> None:
    doc = yaml.safe_load((ROOT / name).read_text())
    commands = [c for s in _scripts(doc) for c in _soc2checks_commands(s)]
    assert commands, f"{name} runs no soc2checks command"
    known = _run_options()
    for cmd in commands:
        assert cmd[1] == "run"
        flags = [a for a in cmd[2:] if a.startswith("-")]
        assert "--baseline" in flags and "--fail-on" in flags
        unknown = [f for f in flags if f.split("=")[0] not in known]
        assert unknown == [], f"{name}: unknown flags {unknown}"
        for fmt in [cmd[i + 1] for i, a in enumerate(cmd) if a == "--format"]:
            assert fmt.split(":")[0] in {"sarif", "json", "markdown", "table", "html"}


def test_example_workflow_uses_the_action_with_its_inputs() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    doc = yaml.safe_load((ROOT / "examples/github-workflow.yml").read_text())
    steps = [s for job in doc["jobs"].values() for s in job["steps"]]
    (ours,) = [s for s in steps if s.get("uses", "").startswith("soc2checks/soc2checks@")]
    assert set(ours["with"]) <= set(action["inputs"])
    assert doc["permissions"]["security-events"] == "write"


def test_action_is_composite_and_uploads_sarif() -> None:
    doc = yaml.safe_load((ROOT / "action.yml").read_text())
    assert doc["runs"]["using"] == "composite"
    uses = [s.get("uses", "") for s in doc["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    script = "\n".join(_scripts(doc))
    assert "GITHUB_STEP_SUMMARY" in script and "--fail-on regression" in script.replace("\\\n", "")
    for step in doc["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"


def test_monitoring_workflow_is_scheduled() -> None:
    doc = yaml.safe_load((ROOT / "examples/monitoring-workflow.yml").read_text())
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as True
    (entry,) = on["schedule"]
    assert len(entry["cron"].split()) == 5


def _huge_result(n: int) -> RunResult:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    findings = [
        Finding(
            status=Status.FAIL if i % 3 else Status.PASS,
            check_id=f"acme.check-{i % 50}",
            control_id=f"control-{i % 50}",
            criteria=("CC6.1",),
            resource_id=f"arn:aws:s3:::bucket-{i:07d}",
            message="bucket is public " + "x" * 80,
            evidence={"public": True, "policy": "y" * 200},
        )
        for i in range(n)
    ]
    return RunResult(
        run=RunInfo(id="0" * 32, started_at=now, finished_at=now, tool_version="test"),
        summary=Summary.of(findings),
        findings=findings,
    )


def test_summary_fits_under_one_mib_failures_first() -> None:
    result = _huge_result(12_000)
    full = render(result)
    assert len(full.encode()) > 4 * MIB  # the full report would not fit
    text = render(result, max_bytes=MIB)
    assert len(text.encode()) <= MIB
    assert len(text.encode()) > MIB - 10_000  # it uses the room it has
    assert text.index("## Failures and errors") < text.index("### ❌ fail")
    assert "## Controls" not in text  # the failures took all the room: they come first
    assert text.rstrip().endswith("(see the full JSON or HTML report).")


def test_small_summary_is_whole_with_failures_before_controls() -> None:
    result = _huge_result(9)
    text = render(result, max_bytes=MIB)
    assert "cut to fit" not in text
    assert text.index("## Failures and errors") < text.index("## Controls")
    assert text.count("### ❌ fail") == 6
