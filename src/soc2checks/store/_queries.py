"""Reading the history: runs newest first, and the state as of an instant."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from soc2checks.store import _schema as t
from soc2checks.store._canonical import unpack, utc_text

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from soc2checks._model import Finding


@dataclass(frozen=True)
class RunRow:
    """One run as ``history`` lists it."""

    id: str
    seq: int | None
    state: str
    provenance: str
    started_at: str
    finished_at: str | None
    counts: dict[str, int]
    digest: str | None

    @property
    def partial(self) -> bool:
        """Anything but a complete run: fetch errors, or killed before it was recorded."""
        return self.state != "complete"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "state": self.state,
            "partial": self.partial,
            "provenance": self.provenance,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "counts": self.counts,
            "digest": self.digest,
        }


def _row(r: Any) -> RunRow:
    return RunRow(
        id=r.id,
        seq=r.seq,
        state=r.state,
        provenance=r.provenance,
        started_at=r.started_at,
        finished_at=r.finished_at,
        counts=json.loads(r.counts),
        digest=r.digest,
    )


def history(conn: Connection, since: dt.datetime | None = None) -> list[RunRow]:
    from sqlalchemy import select

    r = t.runs.c
    q = select(t.runs).order_by(r.started_at.desc(), r.pk.desc())
    if since is not None:
        q = q.where(r.started_at >= utc_text(since))
    return [_row(x) for x in conn.execute(q)]


def latest_complete(conn: Connection, at: dt.datetime) -> RunRow | None:
    from sqlalchemy import select

    r = t.runs.c
    q = (
        select(t.runs)
        .where(r.state == "complete", r.seq.is_not(None), r.started_at <= utc_text(at))
        .order_by(r.started_at.desc(), r.seq.desc())
        .limit(1)
    )
    x = conn.execute(q).first()
    return _row(x) if x is not None else None


def findings_of(conn: Connection, seq: int) -> list[Finding]:
    """The findings of the chained run at ``seq``, in the documented order."""
    from sqlalchemy import select

    from soc2checks._engine import sort_findings
    from soc2checks._model import Finding

    o, f, b = t.observations.c, t.fingerprints.c, t.blobs.c
    q = (
        select(f.check_id, f.provider, f.scope, f.resource_id, b.data)
        .select_from(t.observations)
        .join(t.fingerprints, f.id == o.fingerprint_id)
        .join(t.blobs, b.digest == o.body)
        .where(o.first_seq <= seq, o.last_seq >= seq)
    )
    out = []
    scopes: dict[str, dict[str, str]] = {}
    for check, provider, scope, rid, data in conn.execute(q):
        body = json.loads(unpack(bytes(data)))
        parsed = scopes.get(scope)
        if parsed is None:
            parsed = scopes[scope] = json.loads(scope)
        body.update(check_id=check, provider=provider, scope=dict(parsed), resource_id=rid)
        out.append(Finding.model_validate(body))
    sort_findings(out)
    return out
