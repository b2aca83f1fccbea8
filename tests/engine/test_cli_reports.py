"""Streaming formats from the command line: written while the run goes."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import pytest

from soc2checks.cli import main

PLUGIN = textwrap.dedent(
    '''
    """Each check reads how many lines the streamed file already has."""
    from pathlib import Path
    from pydantic import BaseModel
    from soc2checks import control, hookimpl, resource
    from soc2checks.reporters import StreamingReporter

    class Item(BaseModel):
        resource_id: str

    @resource("items", scope="run", resource_type="Probe::Item")
    def items():
        return [Item(resource_id=f"@item-{i}") for i in range(5)]

    probe = control("probe", criteria=["CC7.2"])

    @probe.check("probe.lines-so-far", over="items")
    def lines_so_far(item):
        """Fails with the number of findings already in the streamed file."""
        path = Path("out/findings.jsonl")
        seen = len(path.read_text().splitlines()) if path.exists() else -1
        assert False, f"seen={seen}"

    class _Ids:
        def __init__(self, out, config=None, **options):
            self.out = out
        def write(self, finding):
            self.out.write("streamed " + finding.check_id + "\\n")
        def finish(self, result):
            self.out.write(f"end {len(result.findings)}\\n")

    @hookimpl
    def soc2checks_register_reporters():
        render = lambda result, config=None, **o: "rendered\\n"
        return {"ids": StreamingReporter(render, _Ids)}

    @probe.check("probe.boom", over="items")
    def boom(item):
        """Always an error."""
        raise RuntimeError("=cmd|' /C calc'!A0")
    '''
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "probe.py").write_text(PLUGIN)
    (tmp_path / "soc2checks.toml").write_text('plugins = ["probe.py"]\nproviders = ["probe"]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_jsonl_is_written_while_the_run_goes(project: Path) -> None:
    code = main(
        ["run", "--no-progress", "--jobs", "1", "-f", "jsonl:out/findings.jsonl",
         "-f", "json:out/findings.json", "-f", "csv:out/findings.csv"]
    )  # fmt: skip
    assert code == 1
    lines = [json.loads(x) for x in (project / "out/findings.jsonl").read_text().splitlines()]
    doc = json.loads((project / "out/findings.json").read_text())
    key = lambda d: (d["check_id"], d["resource_id"])  # noqa: E731
    assert sorted(lines, key=key) == doc["findings"]  # every finding, the same objects
    seen = sorted(
        int(d["message"].removeprefix("seen="))
        for d in lines
        if d["check_id"] == "probe.lines-so-far"
    )
    assert seen[-1] >= 4, seen  # later checks saw earlier findings already on disk
    with (project / "out/findings.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 10
    assert all(r["resource_id"].startswith("'@item-") for r in rows)  # formula neutralised
    assert {r["status"] for r in rows} == {"fail", "error"}


def test_streaming_to_stdout_and_table_together(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--no-progress", "-f", "jsonl", "-f", "table:out/t.txt"]) == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 10
    assert all(json.loads(x)["provider"] == "probe" for x in out.splitlines())
    assert "soc2checks: 10 findings" in (project / "out/t.txt").read_text()


def test_unwritable_stream_target_is_one_line_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "out").mkdir()
    (project / "out" / "dir.jsonl").mkdir()
    assert main(["run", "--no-progress", "-f", "jsonl:out/dir.jsonl"]) == 2
    err = capsys.readouterr().err
    # refused by the output-path check, before anything is fetched
    assert err.startswith("soc2checks: error: -f jsonl: out/dir.jsonl is a folder")
    assert err.count("\n") == 1


def _sarif_results(path: Path) -> list[dict[str, object]]:
    log = json.loads(path.read_text())
    results: list[dict[str, object]] = log["runs"][0]["results"]
    return results


def test_sarif_fingerprints_are_stable_across_runs(project: Path) -> None:
    assert main(["run", "--no-progress", "-f", "sarif:a.sarif", "--fail-on", "never"]) == 0
    assert main(["run", "--no-progress", "-f", "sarif:b.sarif", "--jobs", "1"]) == 1
    a, b = (_sarif_results(project / n) for n in ("a.sarif", "b.sarif"))
    prints_a = [r["partialFingerprints"] for r in a]
    assert prints_a == [r["partialFingerprints"] for r in b]
    assert len({json.dumps(p) for p in prints_a}) == len(a) == 10
    for r in a:  # the config file exists here, so every result points at it
        (loc,) = r["locations"]  # type: ignore[attr-defined]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "soc2checks.toml"
        assert loc["logicalLocations"][0]["kind"] == "resource"
        assert loc["logicalLocations"][0]["fullyQualifiedName"].startswith("probe/@item-")


def test_html_gets_titles_and_report_flags(project: Path) -> None:
    args = ["run", "--no-progress", "-f", "html:out/r.html", "--report-title", "Probe <audit>",
            "--report-organization", "Acme", "--report-period", "2026-01-01 to 2026-06-30"]  # fmt: skip
    assert main(args) == 1
    page = (project / "out/r.html").read_text()
    assert "<title>Probe &lt;audit&gt;</title>" in page
    assert "Organization: <strong>Acme</strong>" in page
    assert "Period: <strong>2026-01-01 to 2026-06-30</strong>" in page
    assert "Fails with the number of findings already in the streamed file." in page
    assert page.count('<details class="finding') == 10


def test_oscal_and_plan_from_the_command_line(project: Path) -> None:
    pytest.importorskip("trestle")
    from trestle.oscal.assessment_plan import AssessmentPlan
    from trestle.oscal.assessment_results import AssessmentResults

    args = ["run", "--no-progress", "-f", "oscal:out/ar.json",
            "-f", "oscal-plan:out/soc2checks-assessment-plan.json", "-f", "ocsf:out/o.json"]  # fmt: skip
    assert main(args) == 1
    ar = AssessmentResults.oscal_read(project / "out/ar.json")
    assert ar is not None and len(ar.results[0].observations or []) == 10
    assert AssessmentPlan.oscal_read(project / "out/soc2checks-assessment-plan.json") is not None
    assert len(json.loads((project / "out/o.json").read_text())) == 10


def test_a_plugins_streaming_reporter_is_streamed(project: Path) -> None:
    assert main(["run", "--no-progress", "-f", "ids:out/ids.txt"]) == 1
    lines = (project / "out/ids.txt").read_text().splitlines()
    assert lines[-1] == "end 10" and len(lines) == 11
    assert sorted(set(lines[:-1])) == ["streamed probe.boom", "streamed probe.lines-so-far"]
