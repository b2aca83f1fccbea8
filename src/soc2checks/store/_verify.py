"""``evidence verify``: recompute every blob, fingerprint, run digest and the chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from soc2checks.store import _schema as t
from soc2checks.store._canonical import digest, unpack
from soc2checks.store._record import (
    PopulationRow,
    finding_line,
    fingerprint_digest,
    run_digest,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from soc2checks.store._sign import Checker


@dataclass(frozen=True)
class Broken:
    run_id: str
    seq: int
    started_at: str
    problem: str

    def __str__(self) -> str:
        return f"run {self.run_id} (#{self.seq}, started {self.started_at}): {self.problem}"


@dataclass(frozen=True)
class Verified:
    runs: int
    broken: Broken | None
    signed: bool
    head: str | None = None
    """The last run's digest: record it elsewhere (CI log, ticket) to anchor the chain."""

    @property
    def ok(self) -> bool:
        return self.broken is None


def _bad_blobs(conn: Connection) -> dict[str, str]:
    from sqlalchemy import select

    bad: dict[str, str] = {}
    q = select(t.blobs.c.digest, t.blobs.c.data).execution_options(
        stream_results=True, yield_per=2000
    )
    for d, data in conn.execute(q):
        try:
            text = unpack(bytes(data))
        except Exception:
            bad[d] = "cannot be decompressed"
            continue
        if digest(text) != d:
            bad[d] = "content no longer matches its digest"
    return bad


def _bad_fingerprints(conn: Connection) -> set[int]:
    from sqlalchemy import select

    f = t.fingerprints.c
    bad = set()
    for fid, d, check, provider, scope, rid in conn.execute(
        select(f.id, f.digest, f.check_id, f.provider, f.scope, f.resource_id)
    ):
        try:
            ok = fingerprint_digest(check, provider, json.loads(scope), rid) == d
        except ValueError:
            ok = False
        if not ok:
            bad.add(fid)
    return bad


def _meta_problem(row: Any, meta: dict[str, Any]) -> str:
    for col in ("id", "state", "provenance", "started_at", "finished_at"):
        if meta.get(col) != getattr(row, col):
            return f"metadata column '{col}' ({getattr(row, col)!r}) differs from its record"
    if json.loads(row.counts) != meta.get("counts"):
        return "metadata column 'counts' differs from its record"
    return ""


def verify(conn: Connection, checker: Checker | None = None) -> Verified:
    """Check the whole chain; the first broken run (by chain position) is reported."""
    from sqlalchemy import select

    bad_blobs = _bad_blobs(conn)
    bad_fps = _bad_fingerprints(conn)
    r = t.runs.c
    rows = list(conn.execute(select(t.runs).where(r.seq.is_not(None)).order_by(r.seq)))
    prev: str | None = None
    for n, row in enumerate(rows, start=1):

        def broken(problem: str, row: Any = row, n: int = n) -> Verified:
            return Verified(n - 1, Broken(row.id, row.seq, row.started_at, problem), bool(checker))

        if row.seq != n:
            return broken(f"chain position {row.seq} follows {n - 1}: a run is missing")
        if row.prev_digest != prev:
            return broken("its link to the previous run's digest no longer matches")
        try:
            meta = json.loads(row.meta)
        except ValueError:
            return broken("its metadata is not valid JSON")
        problem = _meta_problem(row, meta)
        if problem:
            return broken(problem)
        o = t.observations.c
        q = select(o.fingerprint_id, t.fingerprints.c.digest, o.body, o.resource, o.population)
        q = q.join(t.fingerprints, t.fingerprints.c.id == o.fingerprint_id)
        q = q.where(o.first_seq <= row.seq, o.last_seq >= row.seq)
        lines = []
        for fid, fp, body, res, pop in conn.execute(q):
            if fid in bad_fps:
                return broken(f"finding identity {fp[:12]} (check, scope or resource) was altered")
            for d, what in ((body, "finding"), (res, "evidence")):
                if d is not None and d in bad_blobs:
                    return broken(f"{what} blob {d[:12]}: {bad_blobs[d]}")
            lines.append(finding_line(fp, body, res, pop))
        p = t.populations.c
        pops = [
            PopulationRow(
                key=x.key,
                fixture=x.fixture,
                provider=x.provider,
                scope=json.loads(x.scope),
                operations=json.loads(x.operations),
                complete=bool(x.complete),
                record_count=x.record_count,
                error=x.error,
            ).digest
            for x in conn.execute(select(t.populations).where(p.run_pk == row.pk))
        ]
        value = run_digest(row.seq, prev, meta, lines, pops)
        if value != row.digest:
            return broken(
                "its digest no longer matches its metadata, findings and populations "
                f"(stored {str(row.digest)[:12]}, recomputed {value[:12]})"
            )
        if checker is not None and not checker.valid(value, row.signature):
            what = "is not signed" if not row.signature else "has a signature that does not verify"
            return broken(f"its chain link {what} with the given public key")
        prev = row.digest
    head = conn.execute(select(t.chain.c.head_seq, t.chain.c.head_digest)).one()
    if head[0] != len(rows) or head[1] != prev:
        last = rows[-1] if rows else None
        b = Broken(
            last.id if last else "-",
            int(last.seq) if last else 0,
            last.started_at if last else "-",
            f"the chain head says {head[0]} run(s) but {len(rows)} are stored: runs were removed",
        )
        return Verified(len(rows), b, bool(checker))
    return Verified(len(rows), None, bool(checker), prev)
