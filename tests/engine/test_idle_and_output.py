"""An empty scope is not green; resource IDs never reach a terminal raw."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest

import soc2checks.reporters
from soc2checks import Finding, IdleCheck, RunInfo, RunResult, Status, Summary
from soc2checks.cli import main
from soc2checks.reporters import BUILTIN_REPORTERS
from soc2checks.reporters.json import load_findings_json

ESCAPE = "\x1b[2J"

PLUGIN = textwrap.dedent(
    '''
    """Laptops from an MDM export."""
    from pydantic import BaseModel
    from soc2checks import control, resource

    class Laptop(BaseModel):
        resource_id: str
        encrypted: bool

    FLEET = FLEET_VALUE
    FILTERED = FILTERED_VALUE

    @resource("laptops", scope="run")
    def laptops(run_facts):
        if FILTERED:
            run_facts.filtered("laptops", found=3, kept=0, by="include_laptops")
            return []
        return [Laptop(resource_id=n, encrypted=e) for n, e in FLEET]

    disk = control("laptop-disk", criteria=["CC6.1"])

    @disk.check("acme.laptop.encrypted", over="laptops")
    def encrypted(laptop):
        assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"

    @disk.check("acme.fleet.known")
    def fleet_known(config):
        pass
    '''
)


def _project(tmp_path: Path, fleet: list[tuple[str, bool]], *, filtered: bool = False) -> Path:
    text = PLUGIN.replace("FLEET_VALUE", repr(fleet)).replace("FILTERED_VALUE", repr(filtered))
    (tmp_path / "checks.py").write_text(text, encoding="utf-8")
    (tmp_path / "soc2checks.toml").write_text(
        'plugins = ["checks.py"]\nproviders = ["checks"]\n', encoding="utf-8"
    )
    return tmp_path


@pytest.fixture
def chdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> int:
    return main(["run", "--no-progress", *args])


def test_empty_scope_exits_3_and_names_the_idle_check(
    chdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(chdir, [])
    code = _run("--format", "json:out.json")
    err = capsys.readouterr().err
    assert code == 3
    assert err.strip().splitlines() == [
        "soc2checks: judged nothing: acme.laptop.encrypted (no resources): "
        "'laptops' returned no resources (in the run)"
    ]
    doc = json.loads((chdir / "out.json").read_text("utf-8"))
    assert doc["idle_checks"] == [
        {
            "check_id": "acme.laptop.encrypted",
            "provider": "checks",
            "reason": "no-resources",
            "message": "'laptops' returned no resources (in the run)",
        }
    ]
    schema = json.loads(
        (Path(soc2checks.reporters.__file__).parent / "findings-v1.schema.json").read_text()
    )
    jsonschema.Draft202012Validator(schema).validate(doc)
    back = load_findings_json((chdir / "out.json").read_text("utf-8"))
    assert [i.check_id for i in back.idle_checks] == ["acme.laptop.encrypted"]


def test_a_judged_scope_exits_0_and_failures_still_exit_1(
    chdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(chdir, [("mac-1", True)])
    assert _run() == 0
    _project(chdir, [("mac-1", False)])
    assert _run() == 1
    _project(chdir, [])
    assert _run("--fail-on", "never") == 0


def test_filtered_out_by_the_config_says_so(
    chdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(chdir, [], filtered=True)
    assert _run() == 3
    err = capsys.readouterr().err
    assert (
        "soc2checks: judged nothing: acme.laptop.encrypted (filtered out by the config): "
        "'laptops' listed 3 resource(s) and the config (include_laptops) filtered out all "
        "of them"
    ) in err


def test_api_exposes_idle_checks(chdir: Path) -> None:
    import soc2checks

    _project(chdir, [])
    r = soc2checks.run(config=chdir / "soc2checks.toml")
    assert r.idle_checks == [
        IdleCheck(
            check_id="acme.laptop.encrypted",
            provider="checks",
            reason="no-resources",
            message="'laptops' returned no resources (in the run)",
        )
    ]
    assert r.summary.total == 1  # acme.fleet.known judged the run


# ---- control characters -------------------------------------------------------------------
def _result() -> RunResult:
    now = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    f = Finding(
        status=Status.FAIL,
        check_id="acme.laptop.encrypted",
        control_id="laptop-disk",
        criteria=("CC6.1",),
        provider="acme",
        scope={"fleet": f"f{ESCAPE}1"},
        resource_id=f"mac-{ESCAPE}\r\x00\x9b1",
        resource_type="Acme::Laptop",
        message=f"mac {ESCAPE} is not encrypted",
        evidence={"name": f"x{ESCAPE}"},
    )
    run = RunInfo(id="r", started_at=now, finished_at=now, tool_version="0")
    return RunResult(run=run, summary=Summary.of([f]), findings=[f])


@pytest.mark.parametrize("name", ["table", "markdown", "html", "junit"])
def test_human_reporters_never_emit_control_characters(name: str) -> None:
    text = BUILTIN_REPORTERS[name](_result(), None, verbose=True)
    bad = sorted(
        {hex(ord(c)) for c in text if (ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160}
    )
    assert bad == [], f"{name} emitted control characters {bad}"
    assert "\\x1b[2J" in text  # shown, not executed


def test_table_escapes_control_characters_even_in_colour() -> None:
    text = BUILTIN_REPORTERS["table"](_result(), None, color=True)
    assert ESCAPE not in text and "\r" not in text and "\x00" not in text
    assert "mac-\\x1b[2J\\x0d\\x00\\x9b1" in text


def test_stderr_lines_escape_control_characters(
    chdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(chdir, [(f"mac-{ESCAPE}", True)])
    assert _run("--write-baseline", "base.json") == 0
    _project(chdir, [(f"mac-{ESCAPE}", False)])
    capsys.readouterr()
    assert _run("--baseline", "base.json", "--format", "json:out.json") == 1
    err = capsys.readouterr().err
    assert ESCAPE not in err and "\x1b" not in err
    assert "soc2checks: regression: acme.laptop.encrypted mac-\\x1b[2J" in err
    assert main(["run", "--no-progress", "--check", f"acme.{ESCAPE}"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "acme.\\x1b[2J" in err
