"""The Dask executor streams: observers, progress, dying workers and Ctrl-C, on real processes.

The estate is a local plugin file (loaded by every worker from the config, like any
``plugins = [...]`` entry) with six shards of three items each; markers in the config's
folder make a shard's fetch kill its worker process (``os._exit``) or stall.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pluggy
import pytest

from soc2checks._engine import run_checks
from soc2checks._model import Finding, RunResult, Status

pytestmark = pytest.mark.slow

PLUGIN = textwrap.dedent(
    '''
    import os
    import time

    from pydantic import BaseModel

    from soc2checks import control, resource, scope


    class Shard(BaseModel):
        name: str

        @property
        def scope_key(self):
            return {"shard": self.name}

        @property
        def resource_id(self):
            return f"shard:{self.name}"


    class Item(BaseModel):
        resource_id: str
        ok: bool
        resource_type: str = "Shards::Item"


    @scope("shard", level="shard")
    def shard():
        return [Shard(name=f"s{i}") for i in range(6)]


    @resource("items", scope="shard")
    def items(shard, config_dir):
        if shard.name == "s2" and (config_dir / "crash-once").exists():
            marker = config_dir / "crashed"
            if not marker.exists():
                marker.write_text(str(os.getpid()))
                os._exit(1)
        if shard.name == "s4" and (config_dir / "crash-always").exists():
            with open(config_dir / "deaths", "a") as fh:
                fh.write(f"{os.getpid()}\\n")
            os._exit(1)
        if (config_dir / "stall").exists():
            with open(config_dir / "stalled", "a") as fh:
                fh.write(f"{os.getpid()}\\n")
            time.sleep(120)
        return [Item(resource_id=f"{shard.name}/i{j}", ok=j != 1) for j in range(3)]


    ctl = control("shard-items", criteria=["CC6.1"])


    @ctl.check("shards.item.ok", over="items", severity="low")
    def item_ok(item):
        """Every item is ok."""
        assert item.ok, f"{item.resource_id} is not ok"


    @ctl.check("shards.shard.has-items", severity="low")
    def has_items(items):
        """Every shard holds items."""
        assert items, "no items"
    '''
)


def _project(tmp_path: Path, *, dask: bool = True, in_flight: int = 2) -> Path:
    (tmp_path / "shards.py").write_text(PLUGIN)
    cfg = tmp_path / "soc2checks.toml"
    text = 'plugins = ["shards.py"]\nproviders = ["shards"]\n'
    if dask:
        text += f'[executor]\nkind = "dask"\nworkers = 2\nmax_in_flight = {in_flight}\n'
    cfg.write_text(text)
    return cfg


def _local_reference(tmp_path: Path) -> RunResult:
    ref = tmp_path / "reference"
    ref.mkdir()
    return run_checks(checks=["shards.*"], config=_project(ref, dask=False))


def _rows(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.fingerprint(), f.status.value, f.message) for f in findings]


def test_a_killed_worker_is_survived_and_a_unit_killing_twice_errs_for_its_scope_only(
    tmp_path: Path,
) -> None:
    local = _local_reference(tmp_path)
    # one unit in flight: a dying worker takes down only the unit that killed it (Dask
    # also counts a death against every unit running on that worker)
    cfg = _project(tmp_path, in_flight=1)
    (tmp_path / "crash-once").touch()
    (tmp_path / "crash-always").touch()

    result = run_checks(checks=["shards.*"], config=cfg)

    assert (tmp_path / "crashed").exists()  # s2's first attempt did kill its worker
    deaths = (tmp_path / "deaths").read_text().split()
    assert len(deaths) == 2  # s4 was tried twice, on two worker processes, then given up
    others = [f for f in result.findings if f.scope["shard"] != "s4"]
    assert _rows(others) == _rows([f for f in local.findings if f.scope["shard"] != "s4"])
    assert any(f.scope["shard"] == "s2" and f.status is Status.PASS for f in others)
    s4 = [f for f in result.findings if f.scope["shard"] == "s4"]
    assert sorted(f.check_id for f in s4) == ["shards.item.ok", "shards.shard.has-items"]
    assert {f.status for f in s4} == {Status.ERROR}
    for f in s4:
        assert f.message.startswith("work unit failed twice on the Dask cluster: KilledWorker")
        assert "\n" not in f.message


class _Observer:
    """A coordinator-side plugin: the soc2checks_finding hook and progress, in one log."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    @pluggy.HookimplMarker("soc2checks")
    def soc2checks_finding(self, finding: Finding) -> None:
        self.events.append(("finding", finding))

    def progress(self, done: int, total: int) -> None:
        self.events.append(("progress", (done, total)))


def test_findings_reach_the_observers_once_each_as_units_finish(tmp_path: Path) -> None:
    obs = _Observer()
    result = run_checks(
        checks=["shards.*"],
        config=_project(tmp_path, in_flight=1),
        plugins=[obs],
        progress=obs.progress,
    )
    seen = [e[1] for e in obs.events if e[0] == "finding"]
    assert len(seen) == len(result.findings) == 6 * 4
    assert sorted(_rows(seen)) == sorted(_rows(result.findings))
    ticks = [(i, e[1]) for i, e in enumerate(obs.events) if e[0] == "progress"]
    assert [t for _, t in ticks] == [(n, 6) for n in range(7)]  # one tick per unit
    before = [sum(1 for e in obs.events[:i] if e[0] == "finding") for i, _ in ticks]
    assert before == [4 * n for n in range(7)]  # each unit's findings, before its tick


def _cli(cfg: Path, out: Path, *extra: str, **kw: Any) -> subprocess.Popen[str]:
    main = "import sys; from soc2checks.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", main, "run", "--config", str(cfg), "--check", "shards.*"]
    cmd += ["-f", "jsonl", "-o", str(out), "--fail-on", "never", *extra]
    return subprocess.Popen(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_the_jsonl_output_of_a_dask_run_streams_each_finding_once(tmp_path: Path) -> None:
    ref = tmp_path / "reference"
    ref.mkdir()
    local = _cli(_project(ref, dask=False), ref / "out.jsonl")
    assert local.wait(120) == 0, local.communicate()
    dask = _cli(_project(tmp_path), tmp_path / "out.jsonl")
    assert dask.wait(300) == 0, dask.communicate()
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 6 * 4
    assert sorted(lines) == sorted((ref / "out.jsonl").read_text().splitlines())
    assert {json.loads(line)["scope"]["shard"] for line in lines} == {f"s{i}" for i in range(6)}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_ctrl_c_cancels_the_units_and_closes_the_cluster(tmp_path: Path) -> None:
    cfg = _project(tmp_path)
    (tmp_path / "stall").touch()
    proc = _cli(cfg, tmp_path / "out.jsonl", "--no-progress")
    stalled = tmp_path / "stalled"
    deadline = time.monotonic() + 180
    while not stalled.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert stalled.exists(), proc.communicate()
    workers = {int(p) for p in stalled.read_text().split()}
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=90)
    assert proc.returncode == 130, err
    assert time.monotonic() - t0 < 60  # did not wait for the stalled units (120 s)
    assert "Traceback" not in err, err
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers), "a worker process outlived the run"
    assert (tmp_path / "out.jsonl").read_text() == ""  # no finding was judged
