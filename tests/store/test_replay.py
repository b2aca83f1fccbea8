"""soc2checks replay: a stored run re-judged offline on its stored evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.store.test_cli_store import PLUGIN, fleet, project, run

from soc2checks.cli import main

__all__ = ["project"]


def _recorded(capsys: pytest.CaptureFixture[str]) -> str:
    assert run("--store") == 1
    capsys.readouterr()
    return str(json.loads(Path("out.json").read_text())["run"]["id"])


def test_replay_reproduces_the_stored_findings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = _recorded(capsys)
    fleet(project, {"mac-1": False, "mac-2": True}, deny=True)  # the live source is gone
    assert main(["replay", run_id, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["counts"] == {
        "reproduced": 2,
        "changed": 0,
        "added": 0,
        "not_replayable": 0,
        "errors": 0,
    }
    assert main(["replay", "#1"]) == 0
    assert "2 reproduced" in capsys.readouterr().out


def test_changed_check_is_a_difference(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_id = _recorded(capsys)
    (project / "compliance" / "checks.py").write_text(
        PLUGIN.replace("assert laptop.encrypted,", "assert not laptop.encrypted,")
    )
    assert main(["replay", run_id, "--checks-from-current"]) == 1
    out = capsys.readouterr().out
    assert "changed  acme.laptop.disk-encrypted mac-1: pass -> fail" in out
    assert "changed  acme.laptop.disk-encrypted mac-2: fail -> pass" in out


def test_model_that_no_longer_validates_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = _recorded(capsys)
    (project / "compliance" / "checks.py").write_text(
        PLUGIN.replace('owner: str = "it"', 'owner: str = "it"\n    serial: int')
    )
    assert main(["replay", run_id]) == 1
    out = capsys.readouterr().out
    assert out.count("error    acme.laptop.disk-encrypted") == 2
    assert "0 reproduced" in out


def test_unknown_run_is_one_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _recorded(capsys)
    assert main(["replay", "nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no run 'nope'" in err
