"""Reading a stored run back for replay: its metadata and each finding with what it judged."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from soc2checks.store import _schema as t
from soc2checks.store._canonical import unpack

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from soc2checks._model import Finding


@dataclass(frozen=True)
class StoredRun:
    """A chained run: its ID, position, metadata and findings with their judged item."""

    id: str
    seq: int
    meta: dict[str, Any]
    entries: list[tuple[Finding, str | None, dict[str, Any] | None]]
    """(finding, resource blob digest or None, ``{"model": ..., "data": ...}`` or None)."""


def find_run(conn: Connection, ref: str) -> tuple[str, int, dict[str, Any]] | None:
    """The run whose ID is ``ref`` or whose chain position is ``ref`` (digits, ``#`` allowed)."""
    from sqlalchemy import select

    r = t.runs.c
    q = select(r.id, r.seq, r.meta).where(r.id == ref, r.seq.is_not(None))
    row = conn.execute(q).first()
    num = ref.lstrip("#")
    if row is None and num.isdigit():
        row = conn.execute(select(r.id, r.seq, r.meta).where(r.seq == int(num))).first()
    if row is None:
        return None
    return str(row[0]), int(row[1]), json.loads(row[2])


def load_run(conn: Connection, ref: str) -> StoredRun | None:
    from sqlalchemy import select

    from soc2checks._engine import sort_findings
    from soc2checks._model import Finding

    found = find_run(conn, ref)
    if found is None:
        return None
    run_id, seq, meta = found
    o, f = t.observations.c, t.fingerprints.c
    body = t.blobs.alias("body")
    res = t.blobs.alias("res")
    q = (
        select(f.check_id, f.provider, f.scope, f.resource_id, body.c.data, o.resource, res.c.data)
        .select_from(t.observations)
        .join(t.fingerprints, f.id == o.fingerprint_id)
        .join(body, body.c.digest == o.body)
        .outerjoin(res, res.c.digest == o.resource)
        .where(o.first_seq <= seq, o.last_seq >= seq)
    )
    entries: list[tuple[Finding, str | None, dict[str, Any] | None]] = []
    for check, provider, scope, rid, data, rdigest, rdata in conn.execute(q):
        d = json.loads(unpack(bytes(data)))
        d.update(check_id=check, provider=provider, scope=json.loads(scope), resource_id=rid)
        item = json.loads(unpack(bytes(rdata))) if rdata is not None else None
        entries.append((Finding.model_validate(d), rdigest, item))
    order = [e[0] for e in entries]
    sort_findings(order)
    pos = {id(x): i for i, x in enumerate(order)}
    entries.sort(key=lambda e: pos[id(e[0])])
    return StoredRun(run_id, seq, meta, entries)
