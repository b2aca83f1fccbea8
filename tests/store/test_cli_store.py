"""The store on the command line: run --store, history, state, evidence verify, store import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from soc2checks.cli import main

PLUGIN = textwrap.dedent(
    '''
    """Laptops listed in fleet.json, next to this file (tests rewrite it between runs)."""
    import json, time
    from pathlib import Path
    from pydantic import BaseModel
    from soc2checks import control, resource

    class Laptop(BaseModel):
        resource_id: str
        encrypted: bool
        owner: str = "it"

    @resource("laptops", scope="run", resource_type="Acme::Laptop", permissions=["mdm:List"])
    def laptops():
        fleet = json.loads(Path(__file__).with_name("fleet.json").read_text())
        if fleet.get("sleep"):
            time.sleep(fleet["sleep"])
        if fleet.get("deny"):
            raise PermissionError("AccessDenied: mdm:List")
        return [Laptop(resource_id=n, encrypted=e) for n, e in sorted(fleet["laptops"].items())]

    disk = control("laptop-disk-encryption", criteria=["CC6.1"])

    @disk.check("acme.laptop.disk-encrypted", over="laptops", severity="high")
    def disk_encrypted(laptop):
        """Laptop disks are encrypted."""
        assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"
    '''
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "checks.py").write_text(PLUGIN)
    fleet(tmp_path, {"mac-1": True, "mac-2": False})
    (tmp_path / "soc2checks.toml").write_text(
        'plugins = ["compliance/checks.py"]\nproviders = ["checks"]\n'
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fleet(root: Path, laptops: dict[str, bool], **extra: object) -> None:
    (root / "compliance" / "fleet.json").write_text(json.dumps({"laptops": laptops, **extra}))


def run(*args: str) -> int:
    return main(["run", "--no-progress", "--format", "json:out.json", *args])


def test_run_store_records_in_the_default_store(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--store") == 1  # mac-2 fails the gate; the run is still recorded
    assert (project / ".soc2checks" / "evidence.db").is_file()
    assert "recorded run" in capsys.readouterr().err
    run_id = json.loads((project / "out.json").read_text())["run"]["id"]
    assert main(["history", "--format", "json"]) == 0
    (only,) = json.loads(capsys.readouterr().out)["runs"]
    assert only["id"] == run_id and only["provenance"] == "run" and not only["partial"]
    assert only["counts"]["fail"] == 1 and only["counts"]["pass"] == 1
    assert main(["state", "--at", "2999-01-01", "--format", "json"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert state["run"]["id"] == run_id
    assert [(f["resource_id"], f["status"]) for f in state["findings"]] == [
        ("mac-1", "pass"),
        ("mac-2", "fail"),
    ]
    assert main(["state", "--at", "2999-01-01"]) == 0
    out = capsys.readouterr().out
    assert f"from run {run_id}" in out and "mac-2 is not encrypted" in out
    assert main(["evidence", "verify"]) == 0
    assert "intact: 1 run(s) verified" in capsys.readouterr().out


def test_config_store_url_and_no_store(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = project / "soc2checks.toml"
    cfg.write_text(cfg.read_text() + '\n[store]\nurl = "sqlite:///db/team.db"\n')
    run()
    assert (project / "db" / "team.db").is_file()
    run("--no-store")
    run("--store", f"sqlite:///{project / 'other.db'}")
    capsys.readouterr()
    main(["history", "--format", "json"])
    assert len(json.loads(capsys.readouterr().out)["runs"]) == 1
    main(["history", "--format", "json", "--store", f"sqlite:///{project / 'other.db'}"])
    assert len(json.loads(capsys.readouterr().out)["runs"]) == 1


def test_without_store_option_nothing_is_recorded(project: Path) -> None:
    run()
    assert not (project / ".soc2checks").exists()


def test_unknown_store_key_is_a_config_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = project / "soc2checks.toml"
    cfg.write_text(cfg.read_text() + '\n[store]\nurls = "x"\n')
    assert run() == 2
    err = capsys.readouterr().err
    assert "urls" in err and "store" in err and len(err.strip().splitlines()) == 1


def test_verify_names_the_first_broken_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("--store")
    fleet(project, {"mac-1": True, "mac-2": True})
    run("--store")
    run("--store")
    capsys.readouterr()
    main(["history", "--format", "json"])
    runs = json.loads(capsys.readouterr().out)["runs"]
    second = next(r for r in runs if r["seq"] == 2)
    db = sqlite3.connect(project / ".soc2checks" / "evidence.db")
    meta = json.loads(db.execute("SELECT meta FROM runs WHERE seq = 2").fetchone()[0])
    meta["counts"]["fail"] = 0
    meta["config_digest"] = "sha256:" + "1" * 64
    db.execute("UPDATE runs SET meta = ? WHERE seq = 2", (json.dumps(meta),))
    db.commit()
    db.close()
    assert main(["evidence", "verify"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"run {second['id']} (#2" in err and "no longer matches" in err


def test_store_import(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run()
    doc = json.loads((project / "out.json").read_text())
    assert main(["store", "import", "out.json"]) == 0
    assert f"as run {doc['run']['id']} (#1" in capsys.readouterr().out
    main(["history"])
    out = capsys.readouterr().out
    assert doc["run"]["id"] in out and "imported" in out
    assert main(["store", "import", "out.json"]) == 2
    assert "already in the store" in capsys.readouterr().err


def test_not_a_store_is_one_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "junk.db").write_bytes(os.urandom(4096))
    assert main(["history", "--store", f"sqlite:///{project / 'junk.db'}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("not a soc2checks evidence store (not an SQLite database)")
    assert len(err.splitlines()) == 1


def test_state_before_any_run_and_bad_dates(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("--store")
    capsys.readouterr()
    assert main(["state", "--at", "2001-01-01"]) == 2
    assert "no complete run started at or before 2001-01-01T23:59:59" in capsys.readouterr().err
    assert main(["state", "--at", "yesterday"]) == 2
    assert "'yesterday' is not a date" in capsys.readouterr().err
    assert main(["history", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == "no runs recorded\n"


def test_fetch_error_run_is_partial(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("--store")
    fleet(project, {}, deny=True)
    assert run("--store") == 3
    capsys.readouterr()
    main(["history", "--format", "json"])
    newest, oldest = json.loads(capsys.readouterr().out)["runs"]
    assert newest["state"] == "partial" and newest["partial"] and not oldest["partial"]
    main(["state", "--at", "2999-01-01", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["run"]["id"] == oldest["id"]


def test_killed_run_is_marked_partial(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("--store")
    fleet(project, {"mac-1": True}, sleep=60)
    proc = subprocess.Popen(
        [sys.executable, "-m", "soc2checks.cli", "run", "--no-progress", "--store"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            capsys.readouterr()
            main(["history", "--format", "json"])
            if len(json.loads(capsys.readouterr().out)["runs"]) == 2:
                break
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    capsys.readouterr()
    main(["history", "--format", "json"])
    newest, _ = json.loads(capsys.readouterr().out)["runs"]
    assert newest["state"] == "running" and newest["partial"] and newest["seq"] is None
    assert main(["evidence", "verify"]) == 0


def test_signed_chain_on_the_command_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    (project / "chain.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (project / "chain.pub").write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    cfg = project / "soc2checks.toml"
    cfg.write_text(
        cfg.read_text() + '\n[store]\nurl = "sqlite:///e.db"\nsigning_key = "chain.pem"\n'
    )
    run()
    run()
    assert main(["evidence", "verify", "--public-key", "chain.pub"]) == 0
    assert "2 run(s) and their signatures verified" in capsys.readouterr().out
    run("--signing-key", "nosuch.pem")
    assert "nosuch.pem: cannot read the signing key" in capsys.readouterr().err


def test_report_period(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    from soc2checks.store import period_report_schema

    cfg = project / "soc2checks.toml"
    cfg.write_text(
        cfg.read_text()
        + '\n[store]\nurl = "sqlite:///e.db"\nexpected_interval = "P1D"\n'
        + '\n[sla]\nhigh = "7d"\n'
    )
    run()
    fleet(project, {"mac-1": True, "mac-2": True})
    run()
    capsys.readouterr()
    assert main(["report", "--period", "2000-01-01..2999-12-31", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, period_report_schema())
    (dev,) = doc["deviations"]
    assert dev["resource_id"] == "mac-2" and dev["resolved_by"] == "pass"
    assert dev["sla_seconds"] == 7 * 86400 and not dev["sla_breached"]
    assert doc["expected_interval_seconds"] == 86400 and len(doc["gaps"]) == 2
    assert main(["report", "--period", "2000-01-01..2999-12-31"]) == 0
    out = capsys.readouterr().out
    assert "laptop-disk-encryption" in out and "deviations:" in out and "mac-2" in out
    assert main(["report", "--period", "2026-02-01"]) == 2
    assert "give START..END" in capsys.readouterr().err
    assert main(["report", "--period", "2026-02-01..2026-01-01"]) == 2
    assert "the end is before the start" in capsys.readouterr().err


def test_bad_sla_is_a_config_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = project / "soc2checks.toml"
    cfg.write_text(cfg.read_text() + '\n[sla]\nhigh = "soon"\n')
    assert main(["report", "--period", "2026-01-01..2026-02-01"]) == 2
    err = capsys.readouterr().err.strip()
    assert "sla" in err and "high" in err and "'soon' is not a duration" in err
    assert len(err.splitlines()) == 1


def test_verify_prints_the_head_digest(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("--store")
    err = capsys.readouterr().err
    short = err.split("(digest ")[1][:12]
    assert main(["evidence", "verify"]) == 0
    out = capsys.readouterr().out
    assert f"head digest {short}" in out and len(out.split("head digest ")[1].strip()) == 64


def test_report_markdown_and_html(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = project / "soc2checks.toml"
    cfg.write_text(cfg.read_text() + '\n[store]\nurl = "sqlite:///e.db"\n')
    fleet(project, {"mac-1": True, "<b>mac|2</b>": False})
    run()
    capsys.readouterr()
    period = ["report", "--period", "2000-01-01..2999-12-31"]
    assert main([*period, "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Operating effectiveness report\n")
    assert "| laptop-disk-encryption | CC6.1 | 1 |" in md
    assert "&lt;b>mac\\|2&lt;/b>" in md and "<b>" not in md
    assert "## Gaps without a complete run\n\nNot checked" in md
    assert main([*period, "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<td>&lt;b&gt;mac|2&lt;/b&gt;</td>" in page and "<b>mac" not in page
    assert "<td>laptop-disk-encryption</td>" in page and "open" in page
    assert "<script" not in page and "http" not in page
