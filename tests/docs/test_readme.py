"""The README's custom-control example and quick-start commands stay true."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from soc2checks.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_custom_control_example_runs_as_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    block = re.search(
        r"<!-- readme-example: compliance/checks.py -->\n```python\n(.*?)```", README, re.S
    )
    assert block, "README lost its custom-control example"
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "checks.py").write_text(block.group(1))
    (tmp_path / "soc2checks.toml").write_text('plugins = ["compliance/checks.py"]\n')
    (tmp_path / "laptops.json").write_text(
        json.dumps(
            [
                {"resource_id": "mac-1", "encrypted": True, "retired": False},
                {"resource_id": "mac-2", "encrypted": False, "retired": False},
                {"resource_id": "mac-3", "encrypted": False, "retired": True},
            ]
        )
    )
    # From the project folder, and from another folder with --config: laptops.json is
    # found next to the config file either way (the built-in config_dir fixture).
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, extra in ((tmp_path, []), (elsewhere, ["--config", "../soc2checks.toml"])):
        monkeypatch.chdir(cwd)
        code = main(["run", "--provider", "checks", "--no-progress", "-f", "json", *extra])
        doc = json.loads(capsys.readouterr().out)
        assert code == 1
        assert {f["resource_id"]: f["status"] for f in doc["findings"]} == {
            "mac-1": "pass",
            "mac-2": "fail",
            "mac-3": "skip",
        }
        assert doc["findings"][1]["message"] == "mac-2 does not encrypt its disk"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    cmd = "python -m pip install -e '.[test]' && python -m pytest"
    assert cmd in README
    assert cmd in (ROOT / ".ci" / "run").read_text()
    assert "python -m pip install -e '.[demo]' && soc2checks demo" in README


def test_exit_codes_documented_in_readme_and_help() -> None:
    from soc2checks.cli import EXIT_CODES_HELP

    for code in ("0", "1", "2", "3"):
        assert f"| {code} |" in README
        assert f"  {code}  " in EXIT_CODES_HELP
