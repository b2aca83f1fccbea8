"""The store suite runs against real SQLite and a real PostgreSQL server on loopback.

The PostgreSQL cluster is a throwaway one made with the distribution's binaries in a
temporary folder (as the ``postgres`` user, or ``nobody``, when the tests run as root),
on a free port, for the whole session. Without the binaries the PostgreSQL tests skip
locally and FAIL in CI (``CI=true``).
"""

from __future__ import annotations

import datetime as dt
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.store import estate

from soc2checks import RunResult
from soc2checks._capture import Capture
from soc2checks._config import Config
from soc2checks._engine import prepare, run_checks
from soc2checks._plugins import build_registry, wrap_extra


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Cluster:
    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise RuntimeError("no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)")
        self.bin = Path(bins[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="soc2checks-pg-"))
        self.port = _free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pw = pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                os.chown(self.dir, pw.pw_uid, pw.pw_gid)
                break
            else:
                raise RuntimeError("running as root and no 'postgres' or 'nobody' user")
        self.data = self.dir / "data"
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
        self._n = itertools.count(1)

    def _run(self, *cmd: str) -> None:
        full = ["runuser", "-u", self.user, "--", *cmd] if self.user else list(cmd)
        r = subprocess.run(full, capture_output=True, text=True, timeout=120, cwd=self.dir)
        if r.returncode != 0:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{cmd[0]} failed: {r.stderr.strip()} {log[-500:]}")

    def new_database(self) -> str:
        import psycopg

        name = f"store_{next(self._n)}"
        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[_Cluster | str]:
    try:
        cluster = _Cluster()
    except Exception as exc:  # reported by the tests that need it
        yield f"PostgreSQL could not start: {exc}"
        return
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'evidence.db'}"
    cluster = request.getfixturevalue("pg_cluster")
    if isinstance(cluster, str):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(cluster)
        pytest.skip(cluster)
    return str(cluster.new_database())


@pytest.fixture(autouse=True)
def _estate() -> None:
    estate.reset({"111": {"alice": True, "bob": False}, "222": {"carol": True}})


RunEstate = Callable[..., tuple[RunResult, Capture]]


@pytest.fixture
def run_estate() -> RunEstate:
    """Run the engine over the test estate; returns the result and what it fetched."""

    def _run(started: dt.datetime | None = None, **kw: Any) -> tuple[RunResult, Capture]:
        registry = build_registry(wrap_extra((estate,)))
        prep = prepare(config=Config(), registry=registry, **kw)
        capture = Capture()
        result = run_checks(prepared=prep, capture=capture)
        if started is not None:  # the test's clock: copies, so frozen models work too
            took = result.run.finished_at - result.run.started_at
            run = result.run.model_copy(
                update={"started_at": started, "finished_at": started + took}
            )
            result = result.model_copy(update={"run": run})
        return result, capture

    return _run
