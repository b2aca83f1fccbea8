"""The command line: exit codes, baselines, formats, entry-point plugins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from soc2checks.cli import main

PLUGIN = textwrap.dedent(
    '''
    """A team's own controls, kept in their repo."""
    from pydantic import BaseModel
    from soc2checks import control, resource, skip

    class Laptop(BaseModel):
        resource_id: str
        encrypted: bool | None

    FLEET = {"fleet": [("mac-1", True), ("mac-2", False), ("mac-3", None)]}

    @resource("laptops", scope="run", resource_type="Acme::Laptop")
    def laptops():
        return [Laptop(resource_id=n, encrypted=e) for n, e in FLEET["fleet"]]

    disk = control("laptop-disk-encryption", criteria=["CC6.1"])

    @disk.check("acme.laptop.disk-encrypted", over="laptops", severity="high")
    def disk_encrypted(laptop):
        """Laptop disks are encrypted."""
        if laptop.encrypted is None:
            skip("no MDM data")
        assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"
    '''
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "checks.py").write_text(PLUGIN)
    (tmp_path / "soc2checks.toml").write_text(
        'plugins = ["compliance/checks.py"]\nproviders = ["checks"]\n'
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(*args: str) -> int:
    return main(["run", "--no-progress", *args])


def test_local_plugin_runs_and_gate_fails_on_failure(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli() == 1
    out = capsys.readouterr().out
    assert "mac-2 is not encrypted" in out and "CC6.1" in out


def test_json_output_and_provider_from_plugin_name(project: Path) -> None:
    assert run_cli("--format", "json", "--output", "f.json", "--fail-on", "never") == 0
    doc = json.loads((project / "f.json").read_text())
    assert doc["schema"] == "soc2checks/findings/v1"
    assert doc["summary"] == {"pass": 1, "fail": 1, "error": 0, "skip": 1, "waived": 0, "total": 3}
    f = doc["findings"][0]
    assert f["provider"] == "checks" and f["scope"] == {} and f["resource_type"] == "Acme::Laptop"


def test_json_is_byte_identical_apart_from_run(project: Path) -> None:
    run_cli("-f", "json:a.json", "--fail-on", "never")
    run_cli("-f", "json:b.json", "--fail-on", "never", "--jobs", "1")
    a, b = (json.loads((project / n).read_text()) for n in ("a.json", "b.json"))
    a.pop("run"), b.pop("run")
    assert json.dumps(a) == json.dumps(b)


def test_baseline_gates_only_regressions(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("--write-baseline", "base.json", "--fail-on", "never") == 0
    base = json.loads((project / "base.json").read_text())
    assert [r["resource_id"] for r in base["findings"]] == ["mac-2"]
    assert run_cli("--baseline", "base.json") == 0  # same failure: no regression
    src = (project / "compliance" / "checks.py").read_text()
    (project / "compliance" / "checks.py").write_text(
        src.replace('("mac-1", True)', '("mac-1", False)')
    )
    capsys.readouterr()
    assert run_cli("--baseline", "base.json") == 1
    err = capsys.readouterr().err
    assert "regression: acme.laptop.disk-encrypted mac-1" in err
    assert "mac-2" not in err


def test_errors_exit_3_and_fail_on_error_exits_1(project: Path) -> None:
    src = (project / "compliance" / "checks.py").read_text()
    (project / "compliance" / "checks.py").write_text(
        src.replace('("mac-2", False)', '("mac-2", True)').replace(
            "if laptop.encrypted is None:",
            "if laptop.resource_id == 'mac-1':\n        raise TimeoutError('MDM API timed out')\n    if laptop.encrypted is None:",
        )
    )
    assert run_cli() == 3
    assert run_cli("--fail-on", "error") == 1
    assert run_cli("--fail-on", "never") == 0


def test_new_errors_with_baseline(project: Path) -> None:
    run_cli("--write-baseline", "base.json", "--fail-on", "never")
    src = (project / "compliance" / "checks.py").read_text()
    (project / "compliance" / "checks.py").write_text(
        src.replace(
            "if laptop.encrypted is None:",
            "if laptop.resource_id == 'mac-1':\n        raise TimeoutError('slow')\n    if laptop.encrypted is None:",
        )
    )
    assert run_cli("--baseline", "base.json") == 3


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["--check", "acme.laptop.disk-encrypte"],
            "matches nothing (did you mean 'acme.laptop.disk-encrypted'",
        ),
        (["--format", "yaml"], "unknown format 'yaml'"),
        (["--fail-on", "regression"], "--fail-on regression needs --baseline"),
        (["--baseline", "missing.json"], "baseline not found"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    with pytest.raises(SystemExit) if args == ["--bogus"] else _nullcontext() as ei:
        code = run_cli(*args)
    if ei is not None and args == ["--bogus"]:
        code = ei.value.code  # type: ignore[union-attr,assignment]
    assert code == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *a: object) -> None:
        return None


def test_broken_local_plugin_exit_2_no_traceback_unless_debug(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "compliance" / "checks.py").write_text("import nonexistent_sdk\n")
    assert run_cli() == 2
    err = capsys.readouterr().err
    assert "local plugin 'compliance/checks.py' failed to import: ModuleNotFoundError" in err
    assert "Traceback" not in err
    assert run_cli("--debug") == 2
    assert "Traceback" in capsys.readouterr().err


def test_list_and_explain(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "checks"]) == 0
    assert "acme.laptop.disk-encrypted" in capsys.readouterr().out
    assert main(["list", "criteria"]) == 0
    out = capsys.readouterr().out
    assert (
        "CC6.1" in out
        and "P8.1" in out
        and len(
            [
                line
                for line in out.splitlines()
                if line[:2]
                in ("CC", "A1", "PI", "C1", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8")
            ]
        )
        == 61
    )
    assert main(["explain", "acme.laptop.disk-encrypted"]) == 0
    out = capsys.readouterr().out
    assert "Laptop disks are encrypted." in out and "CC6.1" in out
    assert main(["explain", "acme.laptop.nope"]) == 2


def test_help_lists_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out and "--baseline" in out


def _write_dist(site: Path, name: str, module_src: str, *, ep_value: str | None = None) -> None:
    """A real installed distribution: a module plus a .dist-info with an entry point."""
    (site / f"{name}.py").write_text(module_src)
    info = site / f"{name}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(f"[soc2checks]\n{name} = {ep_value or name}\n")
    (info / "RECORD").write_text("")


def _cli(
    site: Path, cwd: Path, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "soc2checks.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_installed_entry_point_plugin_runs_like_first_party(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _write_dist(site, "acme_soc2", PLUGIN)
    work = tmp_path / "work"
    work.mkdir()
    listed = _cli(site, work, "list", "checks")
    assert listed.returncode == 0, listed.stderr
    assert "acme.laptop.disk-encrypted" in listed.stdout and "acme_soc2" in listed.stdout
    plugins = _cli(site, work, "list", "plugins")
    assert "acme_soc2" in plugins.stdout and "1.2.3" in plugins.stdout
    ran = _cli(site, work, "run", "--provider", "acme_soc2", "-f", "json")
    assert ran.returncode == 1, ran.stderr
    assert json.loads(ran.stdout)["summary"]["fail"] == 1
    # Autoload off: other distributions' plugins are not loaded, unless asked with -p.
    off = _cli(site, work, "list", "checks", env_extra={"SOC2CHECKS_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert "acme.laptop" not in off.stdout
    on = _cli(
        site,
        work,
        "list",
        "checks",
        "-p",
        "acme_soc2",
        env_extra={"SOC2CHECKS_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert "acme.laptop" in on.stdout
    blocked = _cli(site, work, "list", "checks", "-p", "no:acme_soc2")
    assert blocked.returncode == 0 and "acme.laptop" not in blocked.stdout


def test_broken_entry_point_plugin_is_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _write_dist(site, "broken_soc2", "raise RuntimeError('cannot init')\n")
    r = _cli(site, tmp_path, "run")
    assert r.returncode == 2
    assert (
        "plugin 'broken_soc2' (entry point 'broken_soc2' of distribution broken_soc2) failed to load: RuntimeError: cannot init"
        in r.stderr
    )
    assert "Traceback" not in r.stderr
