"""The :class:`Store`: one interface over SQLite and PostgreSQL for every store command."""

from __future__ import annotations

import datetime as dt
import getpass
import socket
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soc2checks.store import _schema as t
from soc2checks.store._canonical import canonical, utc_text
from soc2checks.store._open import make_engine, migrate, redact, resolve_url, transaction

if TYPE_CHECKING:
    from soc2checks._capture import Capture
    from soc2checks._model import Finding, RunResult
    from soc2checks.store._queries import RunRow
    from soc2checks.store._record import Entry, PopulationRow
    from soc2checks.store._replay import StoredRun
    from soc2checks.store._verify import Verified


def _who() -> str:
    try:
        user = getpass.getuser()
    except Exception:
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


class Store:
    """An opened evidence store (migrated to the current schema)."""

    def __init__(self, url: str, *, base: Path | None = None, signing_key: str | None = None):
        self.url = resolve_url(url, base or Path.cwd())
        self._engine = make_engine(self.url)
        from soc2checks.store._sign import Signer

        self._signer = Signer(signing_key) if signing_key else None
        migrate(self._engine, self.url)

    def __repr__(self) -> str:
        return f"Store({redact(self.url)!r})"

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing ------------------------------------------------------------------
    def begin_run(self, started_at: dt.datetime | None = None) -> str:
        """Mark a run as started; a run never recorded stays ``running`` (partial)."""
        from sqlalchemy import insert

        marker = "running-" + uuid.uuid4().hex
        started = utc_text(started_at or dt.datetime.now(dt.timezone.utc))
        meta = {"id": marker, "started_at": started, "who": _who()}
        with transaction(self._engine, self.url, lock=False) as conn:
            conn.execute(
                insert(t.runs).values(
                    id=marker,
                    seq=None,
                    state="running",
                    provenance="run",
                    started_at=started,
                    finished_at=None,
                    counts="{}",
                    meta=canonical(meta).decode(),
                )
            )
        return marker

    def record(
        self,
        result: RunResult,
        capture: Capture | None = None,
        *,
        selection: Mapping[str, Any] | None = None,
        marker: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> tuple[int, str]:
        """Record a finished run in one transaction; returns its chain position and digest."""
        from soc2checks.store._record import entries_of, populations_of

        pops = populations_of(capture)
        entries = entries_of(result, capture)
        run = result.run
        fetch_failed = any(not p.complete for p in pops) or any(
            f.status.value == "error" and f.message.startswith("could not fetch")
            for f in result.findings
        )
        meta: dict[str, Any] = {
            "id": run.id,
            "provenance": "run",
            "state": "partial" if fetch_failed else "complete",
            "started_at": utc_text(run.started_at),
            "finished_at": utc_text(run.finished_at),
            "tool_version": run.tool_version,
            "plugins": [p.model_dump(mode="json") for p in run.plugins],
            "config_digest": run.config_digest,
            "selection": dict(selection) if selection is not None else None,
            "who": _who(),
            "warnings": list(run.warnings),
            "facts": run.facts,
            "counts": result.summary.as_dict(),
        }
        if params is not None:  # the check parameters, so a replay judges as the run did
            from soc2checks._evidence import jsonable

            meta["params"] = {k: jsonable(dict(v)) for k, v in sorted(params.items())}
        return self._write(meta, entries, pops, marker)

    def import_findings(self, path: str | Path) -> tuple[str, int, str]:
        """Record a findings JSON file as an imported run; returns its ID, position, digest."""
        from soc2checks.store._import import imported_run

        meta, entries = imported_run(Path(path))
        seq, value = self._write(meta, entries, [], None)
        return str(meta["id"]), seq, value

    def _write(
        self,
        meta: dict[str, Any],
        entries: Sequence[Entry],
        pops: Sequence[PopulationRow],
        marker: str | None,
    ) -> tuple[int, str]:
        from soc2checks.store._record import write_run

        with transaction(self._engine, self.url) as conn:
            return write_run(
                conn, meta=meta, entries=entries, pops=pops, signer=self._signer, marker=marker
            )

    # ---- reading ------------------------------------------------------------------
    def history(self, since: dt.datetime | None = None) -> list[RunRow]:
        from soc2checks.store._queries import history

        with transaction(self._engine, self.url, lock=False) as conn:
            return history(conn, since)

    def state_at(self, at: dt.datetime) -> tuple[RunRow | None, list[Finding]]:
        """The latest complete run started at or before ``at``, and its findings."""
        from soc2checks.store._queries import findings_of, latest_complete

        with transaction(self._engine, self.url, lock=False) as conn:
            run = latest_complete(conn, at)
            if run is None or run.seq is None:
                return None, []
            return run, findings_of(conn, run.seq)

    def stored_run(self, ref: str) -> StoredRun | None:
        """A chained run by ID or position, with each finding's judged item (for replay)."""
        from soc2checks.store._replay import load_run

        with transaction(self._engine, self.url, lock=False) as conn:
            return load_run(conn, ref)

    def period_report(
        self,
        start: dt.datetime,
        end: dt.datetime,
        *,
        expected_interval: dt.timedelta | None = None,
        sla: Mapping[str, dt.timedelta] | None = None,
    ) -> dict[str, Any]:
        """The ``soc2checks/period-report/v1`` document for ``start``..``end``."""
        from soc2checks.store._period import build_report, load

        with transaction(self._engine, self.url, lock=False) as conn:
            runs = load(conn, end)
        return build_report(runs, start, end, expected_interval=expected_interval, sla=sla)

    def verify(self, public_key: str | Path | None = None) -> Verified:
        from soc2checks.store._sign import Checker
        from soc2checks.store._verify import verify

        checker = Checker(public_key) if public_key else None
        with transaction(self._engine, self.url, lock=False) as conn:
            return verify(conn, checker)


def open_store(
    url: str | None = None, *, base: Path | None = None, signing_key: str | None = None
) -> Store:
    """Open (creating and migrating on first use) the store at ``url``."""
    from soc2checks.store._open import DEFAULT_URL

    return Store(url or DEFAULT_URL, base=base, signing_key=signing_key)


def period_report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``soc2checks/period-report/v1``."""
    import json
    from importlib import resources

    text = resources.files("soc2checks.store").joinpath("period-report-v1.schema.json")
    doc: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return doc
