"""Writing a run: metadata, observations, content-addressed evidence, populations, chain link.

Everything of one run is written in one transaction, under the store's writer lock, so
two runs recorded at once are chained one after the other and a run killed while it
is written leaves nothing but its ``running`` marker (shown as partial by ``history``).

A run's digest is the SHA-256 of, in order: the canonical JSON of its header
(``schema``, ``seq``, ``prev`` digest, ``meta``), a newline, then one line per finding,
sorted, ``fingerprint body resource population`` (digests, ``-`` for none), then one
line per population digest, sorted. The header's ``prev`` chains it to the run before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from soc2checks.store import _schema as t
from soc2checks.store._canonical import canonical, canonical_plain, digest, digest_of, pack

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from soc2checks._capture import Capture
    from soc2checks._model import Finding, RunResult
    from soc2checks.store._sign import Signer

RUN_SCHEMA = "soc2checks/store-run/v1"
_encode_string: Any = json.encoder.encode_basestring
_CHUNK = 500
_IDENTITY = ("check_id", "provider", "scope", "resource_id")


@dataclass(frozen=True)
class Entry:
    """One finding as stored: fingerprint identity, body and optional evidence, digested."""

    identity: tuple[str, str, dict[str, str], str]
    fingerprint: str
    body: bytes
    body_digest: str
    resource: bytes | None
    resource_digest: str | None
    population: str | None


def make_entry(
    identity: tuple[str, str, dict[str, str], str],
    body: bytes,
    resource: tuple[bytes, str] | None = None,
    population: str | None = None,
    scope_json: str = "",
) -> Entry:
    return Entry(
        identity=identity,
        fingerprint=fingerprint_digest(*identity, scope_json=scope_json),
        body=body,
        body_digest=digest(body),
        resource=resource[0] if resource else None,
        resource_digest=resource[1] if resource else None,
        population=population,
    )


@dataclass(frozen=True)
class PopulationRow:
    key: str
    fixture: str
    provider: str
    scope: dict[str, str]
    operations: list[str]
    complete: bool
    record_count: int | None
    error: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "fixture": self.fixture,
            "provider": self.provider,
            "scope": self.scope,
            "operations": self.operations,
            "complete": self.complete,
            "record_count": self.record_count,
            "error": self.error,
        }

    @property
    def digest(self) -> str:
        return digest_of(self.as_dict())


def fingerprint_digest(
    check: str, provider: str, scope: dict[str, str], resource: str, scope_json: str = ""
) -> str:
    """SHA-256 of the canonical JSON ``[check, provider, scope, resource]``.

    Built from its parts (the same bytes as :func:`canonical_plain` gives) so a scope
    shared by many findings is encoded once.
    """
    enc = _encode_string
    scope_json = scope_json or canonical_plain(scope).decode()
    text = f"[{enc(check)},{enc(provider)},{scope_json},{enc(resource)}]"
    return digest(text.encode("utf-8"))


def population_key(fixture: str, scope: dict[str, str]) -> str:
    return digest(canonical_plain([fixture, scope]))


def finding_body(finding: Finding) -> dict[str, Any]:
    """The documented JSON of a finding without its identity (stored once per content)."""
    from soc2checks.reporters.json import finding_to_dict

    d = finding_to_dict(finding)
    for k in _IDENTITY:
        d.pop(k)
    return d


def entries_of(result: RunResult, capture: Capture | None) -> list[Entry]:
    from soc2checks._capture import Shipped
    from soc2checks._evidence import jsonable

    # Findings are linked to what they judged by identity (check, provider, scope,
    # resource), not by object, so a finding the engine copies stays linked.
    frozen: dict[int, tuple[tuple[str, str], ...]] = {}
    alive: list[Any] = []

    def key(f: Finding) -> tuple[str, str, tuple[tuple[str, str], ...], str]:
        fz = frozen.get(id(f.scope))
        if fz is None:
            fz = frozen[id(f.scope)] = tuple(sorted(f.scope.items()))
            alive.append(f.scope)
        return (f.check_id, f.provider, fz, f.resource_id)

    links: dict[Any, tuple[str, tuple[bytes, str]]] = {}
    if capture is not None:
        pops: dict[Any, str] = {}
        models: dict[int, tuple[bytes, str]] = {}  # one model per item, however many checks
        keep: list[Any] = []  # items stay alive so their ids stay unique
        for j in capture.judged_items:
            pop = pops.get(j.population)
            if pop is None:
                fixture, scope = j.population
                pop = pops[j.population] = population_key(fixture, dict(scope))
            model = models.get(id(j.item))
            if model is None:
                if isinstance(j.item, Shipped):  # judged on a Dask worker
                    data = canonical({"model": j.item.model, "data": j.item.data})
                else:
                    cls = type(j.item)
                    data = canonical(
                        {"model": f"{cls.__module__}.{cls.__qualname__}", "data": jsonable(j.item)}
                    )
                model = models[id(j.item)] = (data, digest(data))
                keep.append(j.item)
            links[key(j.finding)] = (pop, model)
    out = []
    scopes: dict[int, tuple[dict[str, str], str]] = {}  # findings share scope dicts
    for f in result.findings:
        link = links.get(key(f)) if links else None
        known = scopes.get(id(f.scope))
        if known is None:
            ordered = dict(sorted(f.scope.items()))
            known = scopes[id(f.scope)] = (ordered, canonical_plain(ordered).decode())
        out.append(
            make_entry(
                (f.check_id, f.provider, known[0], f.resource_id),
                canonical_plain(finding_body(f)),
                link[1] if link else None,
                link[0] if link else None,
                scope_json=known[1],
            )
        )
    return out


def populations_of(capture: Capture | None) -> list[PopulationRow]:
    if capture is None:
        return []
    return [
        PopulationRow(
            key=population_key(p.fixture, p.scope),
            fixture=p.fixture,
            provider=p.provider,
            scope=p.scope,
            operations=sorted(p.operations),
            complete=p.complete,
            record_count=p.record_count,
            error=p.error,
        )
        for p in capture.populations
    ]


def run_digest(
    seq: int,
    prev: str | None,
    meta: dict[str, Any],
    lines: Iterable[str],
    population_digests: Iterable[str],
) -> str:
    h = hashlib.sha256()
    h.update(canonical({"schema": RUN_SCHEMA, "seq": seq, "prev": prev, "meta": meta}))
    h.update(b"\n")
    for line in sorted(lines):
        h.update(line.encode() + b"\n")
    for d in sorted(population_digests):
        h.update(d.encode() + b"\n")
    return h.hexdigest()


def finding_line(fp: str, body: str, resource: str | None, population: str | None) -> str:
    return f"{fp} {body} {resource or '-'} {population or '-'}"


def _chunks(seq: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), _CHUNK):
        yield seq[i : i + _CHUNK]


def _store_blobs(conn: Connection, blobs: dict[str, bytes]) -> None:
    from sqlalchemy import insert, select

    keys = sorted(blobs)
    have: set[str] = set()
    for chunk in _chunks(keys):
        have.update(conn.scalars(select(t.blobs.c.digest).where(t.blobs.c.digest.in_(chunk))))
    rows = [{"digest": k, "data": pack(blobs[k])} for k in keys if k not in have]
    for chunk in _chunks(rows):
        conn.execute(insert(t.blobs), list(chunk))


def _fingerprint_ids(conn: Connection, entries: Sequence[Entry]) -> dict[str, int]:
    from sqlalchemy import insert, select

    wanted: dict[str, tuple[str, str, dict[str, str], str]] = {}
    for e in entries:
        wanted.setdefault(e.fingerprint, e.identity)
    keys = sorted(wanted)
    ids: dict[str, int] = {}

    def load(chunk: Sequence[str]) -> None:
        q = select(t.fingerprints.c.digest, t.fingerprints.c.id).where(
            t.fingerprints.c.digest.in_(chunk)
        )
        ids.update({d: i for d, i in conn.execute(q)})

    for chunk in _chunks(keys):
        load(chunk)
    new = [k for k in keys if k not in ids]
    rows = [
        {
            "digest": k,
            "check_id": wanted[k][0],
            "provider": wanted[k][1],
            "scope": canonical(wanted[k][2]).decode(),
            "resource_id": wanted[k][3],
        }
        for k in new
    ]
    for chunk in _chunks(rows):
        conn.execute(insert(t.fingerprints), list(chunk))
    for chunk in _chunks(new):
        load(chunk)
    return ids


def write_run(
    conn: Connection,
    *,
    meta: dict[str, Any],
    entries: Sequence[Entry],
    pops: Sequence[PopulationRow],
    signer: Signer | None,
    marker: str | None = None,
) -> tuple[int, str]:
    """Write one run inside the caller's transaction; returns its chain position and digest."""
    from sqlalchemy import insert, select, update

    from soc2checks.store._open import StoreError

    head = conn.execute(
        select(t.chain.c.head_seq, t.chain.c.head_digest).where(t.chain.c.id == 1).with_for_update()
    ).one()
    prev_seq, prev_digest = int(head[0]), head[1]
    seq = prev_seq + 1
    if conn.scalar(select(t.runs.c.pk).where(t.runs.c.id == meta["id"])) is not None:
        raise StoreError(f"run {meta['id']} is already in the store")

    # What the previous run saw: its open observations, their fingerprints and blobs,
    # which are known to exist (so an unchanged run looks nothing else up).
    o = t.observations.c
    q = (
        select(o.id, o.fingerprint_id, t.fingerprints.c.digest, o.body, o.resource, o.population)
        .join(t.fingerprints, t.fingerprints.c.id == o.fingerprint_id)
        .where(o.last_seq == prev_seq)
    )
    open_obs: dict[tuple[int, str, str | None, str | None], list[int]] = {}
    known_fps: dict[str, int] = {}
    known_blobs: set[str] = set()
    for oid, fid, fpd, body, res, pop in conn.execute(q):
        open_obs.setdefault((fid, body, res, pop), []).append(oid)
        known_fps[fpd] = fid
        known_blobs.add(body)
        if res is not None:
            known_blobs.add(res)

    blobs: dict[str, bytes] = {}
    keyed: list[tuple[str, str, str | None, str | None]] = []
    for e in entries:
        if e.body_digest not in known_blobs:
            blobs[e.body_digest] = e.body
        if e.resource is not None and e.resource_digest not in known_blobs:
            blobs[e.resource_digest or ""] = e.resource
        keyed.append((e.fingerprint, e.body_digest, e.resource_digest, e.population))
    _store_blobs(conn, blobs)
    fp_ids = _fingerprint_ids(conn, [e for e in entries if e.fingerprint not in known_fps])
    fp_ids.update(known_fps)

    extend: list[int] = []
    new_rows: list[dict[str, Any]] = []
    for fp, b, r, p in keyed:
        k = (fp_ids[fp], b, r, p)
        ids = open_obs.get(k)
        if ids:
            extend.append(ids.pop())
        else:
            new_rows.append(
                {
                    "fingerprint_id": k[0],
                    "body": b,
                    "resource": r,
                    "population": p,
                    "first_seq": seq,
                    "last_seq": seq,
                }
            )
    closed = sorted(i for ids in open_obs.values() for i in ids)
    if len(closed) < len(extend):
        # Cheaper to set every open observation aside than to list the extended ones:
        # park the closed ones, extend the rest in one statement, put the closed back.
        for chunk in _chunks(closed):
            conn.execute(update(t.observations).where(o.id.in_(chunk)).values(last_seq=-1))
        conn.execute(update(t.observations).where(o.last_seq == prev_seq).values(last_seq=seq))
        conn.execute(update(t.observations).where(o.last_seq == -1).values(last_seq=prev_seq))
    else:
        extend.sort()
        for chunk in _chunks(extend):
            conn.execute(update(t.observations).where(o.id.in_(chunk)).values(last_seq=seq))
    for chunk in _chunks(new_rows):
        conn.execute(insert(t.observations), list(chunk))

    lines = [finding_line(*k) for k in keyed]
    value = run_digest(seq, prev_digest, meta, lines, [p.digest for p in pops])
    signature = signer.sign(value) if signer is not None else None
    row = {
        "id": meta["id"],
        "seq": seq,
        "state": meta["state"],
        "provenance": meta["provenance"],
        "started_at": meta["started_at"],
        "finished_at": meta["finished_at"],
        "counts": json.dumps(meta["counts"], sort_keys=True),
        "meta": canonical(meta).decode(),
        "prev_digest": prev_digest,
        "digest": value,
        "signature": signature,
    }
    run_pk: int | None = None
    if marker is not None:
        run_pk = conn.scalar(select(t.runs.c.pk).where(t.runs.c.id == marker))
    if run_pk is None:
        conn.execute(insert(t.runs).values(**row))
        run_pk = conn.scalar(select(t.runs.c.pk).where(t.runs.c.id == meta["id"]))
    else:
        conn.execute(update(t.runs).where(t.runs.c.pk == run_pk).values(**row))
    pop_rows = [
        {
            "run_pk": run_pk,
            "key": p.key,
            "fixture": p.fixture,
            "provider": p.provider,
            "scope": canonical(p.scope).decode(),
            "operations": canonical(p.operations).decode(),
            "complete": p.complete,
            "record_count": p.record_count,
            "error": p.error,
        }
        for p in pops
    ]
    for chunk in _chunks(pop_rows):
        conn.execute(insert(t.populations), list(chunk))
    conn.execute(update(t.chain).where(t.chain.c.id == 1).values(head_seq=seq, head_digest=value))
    return seq, value
