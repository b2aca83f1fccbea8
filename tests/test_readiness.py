"""`soc2checks list criteria` and `soc2checks readiness`: evidence per criterion, gaps named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soc2checks._catalog import criteria
from soc2checks._plugins import load_registry
from soc2checks._readiness import evidence_by_criterion, kinds_label
from soc2checks.cli import main
from soc2checks.testing.compliance import write_demo_compliance
from soc2checks_files.models import utc_today


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_demo_compliance(tmp_path / "compliance", utc_today())
    (tmp_path / "soc2checks.toml").write_text('providers = ["files"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_criterion_has_an_evidence_path() -> None:
    registry = load_registry()
    kinds = evidence_by_criterion(registry, registry.checks.values())
    missing = [c for c in criteria() if not kinds.get(c)]
    assert not missing, f"criteria with no evidence path: {missing}"
    assert len(criteria()) == 61
    assert kinds_label(kinds["CC6.1"]) == "automated"
    assert kinds_label(kinds["P5.1"]) == "records"
    assert kinds_label(kinds["PI1.1"]) == "documents"
    assert kinds_label(kinds["CC6.2"]) == "automated+records"
    assert kinds_label({}) == "none"


def test_list_criteria_shows_the_kind_of_evidence(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (demo / "soc2checks.toml").write_text("", encoding="utf-8")  # every provider
    assert main(["list", "criteria"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[2] for line in out.splitlines()[2:63]}
    assert len(rows) == 61
    assert rows["CC6.1"] == "automated" and rows["P6.4"] == "records"
    assert rows["CC2.1"] == "documents" and rows["PI1.2"] == "records+documents"
    assert out.rstrip().endswith("evidence path for 61/61 criteria")


def test_readiness_over_the_demo_folder(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["readiness", "--format", "json"]) == 1  # the demo has gaps
    rows = {r["criterion"]: r for r in json.loads(capsys.readouterr().out)}
    assert len(rows) == 61
    # A files-only run: the criteria only cloud APIs evidence have no evidence path here.
    assert rows["CC6.6"]["status"] == "missing" and rows["CC6.6"]["evidence"] == "none"
    assert rows["CC6.6"]["gaps"] == [
        "no check maps to this criterion: add a document, record or check"
    ]
    assert rows["P6.5"]["status"] == "covered" and rows["P6.5"]["evidence"] == "records"
    # A failing criterion names what is missing.
    p81 = rows["P8.1"]
    assert p81["status"] == "failing"
    assert p81["gaps"] == [
        "files.privacy.dsar: complaint request DSR-3 answered in 41 days (limit: 30)"
    ]
    assert rows["CC4.2"]["status"] == "failing"
    assert any("DEF-9" in g for g in rows["CC4.2"]["gaps"])
    every_files_criterion = [r for r in rows.values() if r["evidence"] != "none"]
    assert all(r["status"] in ("covered", "failing") for r in every_files_criterion)


def test_readiness_names_missing_records_and_respects_categories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "soc2checks.toml").write_text(
        'providers = ["files"]\ncategories = ["privacy"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["readiness"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert not [line for line in lines if line.startswith(("A1.", "PI1.", "C1."))]
    p51 = lines.index(next(line for line in lines if line.startswith("P5.1 ")))
    assert "failing" in lines[p51] and "records" in lines[p51]
    assert (
        "files.privacy.dsar: no privacy-request records in compliance/records/privacy-requests*, "
        "compliance/records/dsar*"
    ) in lines[p51 + 1]
    summary = lines[-1]
    assert summary.startswith("readiness: 0/51 criteria covered and passing")  # 33 CC + 18 P
