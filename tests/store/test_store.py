"""The evidence store over real SQLite and PostgreSQL: record, dedupe, chain, query, faults."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from tests.store import estate
from tests.store.conftest import RunEstate

from soc2checks.reporters.json import render
from soc2checks.store import StoreError, open_store
from soc2checks.store import _schema as t
from soc2checks.store._canonical import unpack

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 1, 1, 6, 0, tzinfo=dt.timezone.utc)


def _count(store: object, table: object) -> int:
    with store._engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.scalar(select(func.count()).select_from(table)))  # type: ignore[arg-type]


def test_records_a_run_and_reads_it_back(store_url: str, run_estate: RunEstate) -> None:
    result, cap = run_estate(T0)
    with open_store(store_url) as store:
        seq, digest = store.record(result, cap, selection={"checks": None})
        assert seq == 1 and len(digest) == 64
        (row,) = store.history()
        assert row.id == result.run.id and row.state == "complete" and not row.partial
        assert row.counts["fail"] == 1 and row.counts["pass"] == 2 and row.provenance == "run"
        run, findings = store.state_at(T0 + dt.timedelta(hours=1))
        assert run is not None and run.id == result.run.id
        assert [f.model_dump() for f in findings] == [f.model_dump() for f in result.findings]
        assert store.verify().ok
        with store._engine.connect() as conn:
            meta = json.loads(conn.scalar(select(t.runs.c.meta)))
        assert meta["tool_version"] and meta["config_digest"].startswith("sha256:")
        assert "@" in meta["who"] and meta["selection"] == {"checks": None}
        assert {p["name"] for p in meta["plugins"]} >= {"estate"}


def test_state_before_the_first_run_is_empty(store_url: str, run_estate: RunEstate) -> None:
    result, cap = run_estate(T0)
    with open_store(store_url) as store:
        store.record(result, cap)
        assert store.state_at(T0 - dt.timedelta(seconds=1)) == (None, [])


def test_populations_and_full_models_are_recorded(store_url: str, run_estate: RunEstate) -> None:
    result, cap = run_estate(T0)
    with open_store(store_url) as store:
        store.record(result, cap)
        with store._engine.connect() as conn:
            pops = {(r.fixture, r.scope): r for r in conn.execute(select(t.populations))}
            users = pops[("estate_users", '{"account":"111"}')]
            assert users.complete and users.record_count == 2 and users.provider == "estate"
            assert json.loads(users.operations) == ["iam:ListUsers"]
            assert pops[("estate_accounts", "{}")].record_count == 2
            (data,) = conn.execute(
                select(t.blobs.c.data)
                .join(t.observations, t.observations.c.resource == t.blobs.c.digest)
                .join(t.fingerprints, t.fingerprints.c.id == t.observations.c.fingerprint_id)
                .where(t.fingerprints.c.resource_id == "arn:estate:111:user/bob")
            ).one()
        model = json.loads(unpack(data))
        # the check read only `mfa` and `name`; the store keeps the whole model
        assert model["model"] == "tests.store.estate.User"
        assert model["data"] == {
            "name": "bob",
            "mfa": False,
            "arn": "arn:estate:111:user/bob",
            "tags": {"team": "x"},
        }


def test_unchanged_runs_cost_no_new_rows(store_url: str, run_estate: RunEstate) -> None:
    with open_store(store_url) as store:
        store.record(*run_estate(T0))
        sizes = [_count(store, x) for x in (t.blobs, t.observations, t.fingerprints)]
        store.record(*run_estate(T0 + dt.timedelta(days=1)))
        assert [_count(store, x) for x in (t.blobs, t.observations, t.fingerprints)] == sizes
        estate.WORLD["accounts"]["111"]["bob"] = True  # bob gets MFA
        r3, c3 = run_estate(T0 + dt.timedelta(days=2))
        store.record(r3, c3)
        assert _count(store, t.observations) == sizes[1] + 1
        assert _count(store, t.fingerprints) == sizes[2]
        _, day2 = store.state_at(T0 + dt.timedelta(days=1, hours=1))
        _, day3 = store.state_at(T0 + dt.timedelta(days=3))
        bob = "arn:estate:111:user/bob"
        assert [f.status.value for f in day2 if f.resource_id == bob] == ["fail"]
        assert [f.status.value for f in day3 if f.resource_id == bob] == ["pass"]
        assert store.verify().ok


def test_runs_chain_to_the_previous_digest(store_url: str, run_estate: RunEstate) -> None:
    with open_store(store_url) as store:
        _, d1 = store.record(*run_estate(T0))
        _, d2 = store.record(*run_estate(T0 + dt.timedelta(days=1)))
        with store._engine.connect() as conn:
            rows = conn.execute(
                select(t.runs.c.prev_digest, t.runs.c.digest).order_by(t.runs.c.seq)
            )
            assert list(rows) == [(None, d1), (d1, d2)]


def test_fetch_errors_make_a_partial_run_never_read_as_state(
    store_url: str, run_estate: RunEstate
) -> None:
    with open_store(store_url) as store:
        good, cap = run_estate(T0)
        store.record(good, cap)
        estate.WORLD["denied"].add("111")
        estate.WORLD["accounts"]["111"]["bob"] = True
        bad, cap2 = run_estate(T0 + dt.timedelta(days=1))
        store.record(bad, cap2)
        newest = store.history()[0]
        assert newest.id == bad.run.id and newest.partial and newest.state == "partial"
        run, _findings = store.state_at(T0 + dt.timedelta(days=2))
        assert run is not None and run.id == good.run.id  # the partial run is skipped
        with store._engine.connect() as conn:
            (err,) = conn.execute(
                select(t.populations.c.error, t.populations.c.complete).where(
                    t.populations.c.scope == '{"account":"111"}',
                    t.populations.c.fixture == "estate_users",
                    t.populations.c.error != "",
                )
            ).all()
        assert "AccessDenied" in err[0] and err[1] is False


def test_a_run_killed_before_it_was_recorded_shows_as_partial(
    store_url: str, run_estate: RunEstate
) -> None:
    with open_store(store_url) as store:
        store.record(*run_estate(T0))
        marker = store.begin_run(T0 + dt.timedelta(days=1))
        (newest, first) = store.history()
        assert newest.id == marker and newest.partial and newest.state == "running"
        assert store.verify().ok and store.state_at(T0 + dt.timedelta(days=2))[0].id == first.id  # type: ignore[union-attr]


def test_marker_becomes_the_recorded_run(store_url: str, run_estate: RunEstate) -> None:
    with open_store(store_url) as store:
        marker = store.begin_run(T0)
        result, cap = run_estate(T0)
        store.record(result, cap, marker=marker)
        (only,) = store.history()
        assert only.id == result.run.id and only.state == "complete"


def test_same_run_twice_is_refused(store_url: str, run_estate: RunEstate) -> None:
    result, cap = run_estate(T0)
    with open_store(store_url) as store:
        store.record(result, cap)
        with pytest.raises(StoreError, match="already in the store"):
            store.record(result, cap)
        assert len(store.history()) == 1 and store.verify().ok


def test_import_keeps_times_and_marks_provenance(
    store_url: str, run_estate: RunEstate, tmp_path: Path
) -> None:
    result, _ = run_estate(T0)
    path = tmp_path / "findings.json"
    path.write_text(render(result), encoding="utf-8")
    with open_store(store_url) as store:
        run_id, seq, _ = store.import_findings(path)
        assert (run_id, seq) == (result.run.id, 1)
        (row,) = store.history()
        assert row.provenance == "imported" and row.started_at == "2026-01-01T06:00:00.000000Z"
        _, findings = store.state_at(T0)
        assert [f.model_dump() for f in findings] == [f.model_dump() for f in result.findings]
        with store._engine.connect() as conn:
            meta = json.loads(conn.scalar(select(t.runs.c.meta)))
            assert _count(store, t.populations) == 0
            assert (
                conn.scalar(select(func.count()).where(t.observations.c.resource.is_not(None))) == 0
            )
        import hashlib

        assert meta["source"] == {
            "file": "findings.json",
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        assert store.verify().ok


def test_import_of_a_file_that_is_not_findings_is_one_line(store_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"schema": "other"}')
    with (
        open_store(store_url) as store,
        pytest.raises(Exception, match="expected 'soc2checks/findings/v1'"),
    ):
        store.import_findings(bad)


_WRITER = """
import datetime as dt, sys
from soc2checks._capture import Capture
from soc2checks._config import Config
from soc2checks._engine import prepare, run_checks
from soc2checks._plugins import build_registry, wrap_extra
from soc2checks.store import open_store
from tests.store import estate
estate.reset({"111": {"alice": True, "bob": False}, "222": {"carol": True}})
store = open_store(sys.argv[1])
for i in range(int(sys.argv[2])):
    estate.WORLD["accounts"]["111"]["bob"] = bool(i % 2)
    prep = prepare(config=Config(), registry=build_registry(wrap_extra((estate,))))
    cap = Capture()
    store.record(run_checks(prepared=prep, capture=cap), cap)
"""


def test_two_concurrent_writers_do_not_corrupt(store_url: str) -> None:
    open_store(store_url).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, store_url, "6"],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with open_store(store_url) as store:
        runs = store.history()
        assert len(runs) == 12 and sorted(r.seq for r in runs) == list(range(1, 13))  # type: ignore[type-var]
        assert store.verify().ok


# ---- tampering ---------------------------------------------------------------------------
def _three_runs(store_url: str, run_estate: RunEstate) -> list[str]:
    ids = []
    with open_store(store_url) as store:
        for day in range(3):
            estate.WORLD["accounts"]["222"]["carol"] = day != 1
            result, cap = run_estate(T0 + dt.timedelta(days=day))
            store.record(result, cap)
            ids.append(result.run.id)
    return ids


def _sql(store_url: str, sql: str, **params: object) -> int:
    engine = create_engine(store_url)
    with engine.begin() as conn:
        n = conn.execute(text(sql), params).rowcount
    engine.dispose()
    return int(n)


def _broken(store_url: str) -> str:
    with open_store(store_url) as store:
        got = store.verify()
    assert not got.ok
    return str(got.broken)


def test_tampered_finding_is_found(store_url: str, run_estate: RunEstate) -> None:
    ids = _three_runs(store_url, run_estate)
    # carol's failing finding of the second run says "pass" now, re-digested so the blob
    # looks consistent: the run's digest no longer matches.
    from soc2checks.store._canonical import canonical, digest, pack

    with open_store(store_url) as store, store._engine.begin() as conn:
        row = conn.execute(
            select(t.observations.c.id, t.blobs.c.data)
            .join(t.blobs, t.blobs.c.digest == t.observations.c.body)
            .join(t.fingerprints, t.fingerprints.c.id == t.observations.c.fingerprint_id)
            .where(
                t.fingerprints.c.resource_id == "arn:estate:222:user/carol",
                t.observations.c.first_seq == 2,
            )
        ).one()
        body = json.loads(unpack(row.data))
        assert body["status"] == "fail"
        body.update(status="pass", message="")
        data = canonical(body)
        conn.execute(t.blobs.insert().values(digest=digest(data), data=pack(data)))
        conn.execute(
            t.observations.update().where(t.observations.c.id == row.id).values(body=digest(data))
        )
    msg = _broken(store_url)
    assert msg.startswith(f"run {ids[1]} (#2") and "digest no longer matches" in msg


def test_tampered_blob_content_is_found(store_url: str, run_estate: RunEstate) -> None:
    ids = _three_runs(store_url, run_estate)
    from soc2checks.store._canonical import canonical, pack

    with open_store(store_url) as store, store._engine.begin() as conn:
        d = conn.scalar(
            select(t.observations.c.resource)
            .join(t.fingerprints, t.fingerprints.c.id == t.observations.c.fingerprint_id)
            .where(t.fingerprints.c.resource_id == "arn:estate:111:user/alice")
        )
        forged = pack(canonical({"model": "x", "data": {"mfa": False}}))
        conn.execute(t.blobs.update().where(t.blobs.c.digest == d).values(data=forged))
    msg = _broken(store_url)
    assert msg.startswith(f"run {ids[0]} (#1") and f"evidence blob {d[:12]}" in msg


def test_tampered_run_metadata_is_found(store_url: str, run_estate: RunEstate) -> None:
    ids = _three_runs(store_url, run_estate)
    with open_store(store_url) as store, store._engine.connect() as conn:
        meta = json.loads(conn.scalar(select(t.runs.c.meta).where(t.runs.c.id == ids[2])))
    meta["who"] = "someone-else@elsewhere"
    from soc2checks.store._canonical import canonical

    n = _sql(
        store_url, "UPDATE runs SET meta = :m WHERE id = :i", m=canonical(meta).decode(), i=ids[2]
    )
    assert n == 1
    msg = _broken(store_url)
    assert msg.startswith(f"run {ids[2]} (#3") and "digest no longer matches" in msg


def test_tampered_run_time_column_is_found(store_url: str, run_estate: RunEstate) -> None:
    ids = _three_runs(store_url, run_estate)
    _sql(
        store_url,
        "UPDATE runs SET started_at = '2025-01-01T00:00:00.000000Z' WHERE id = :i",
        i=ids[1],
    )
    assert "'started_at'" in _broken(store_url)


def test_removed_run_is_found(store_url: str, run_estate: RunEstate) -> None:
    ids = _three_runs(store_url, run_estate)
    _sql(
        store_url,
        "DELETE FROM populations WHERE run_pk = (SELECT pk FROM runs WHERE id = :i)",
        i=ids[2],
    )
    _sql(store_url, "DELETE FROM runs WHERE id = :i", i=ids[2])
    assert "runs were removed" in _broken(store_url)


# ---- signing -------------------------------------------------------------------------------
def _keys(tmp_path: Path, name: str) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    priv, pub = tmp_path / f"{name}.pem", tmp_path / f"{name}.pub.pem"
    priv.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pub.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return priv, pub


def test_signed_chain_verifies_with_the_public_key_only(
    store_url: str, run_estate: RunEstate, tmp_path: Path
) -> None:
    priv, pub = _keys(tmp_path, "ours")
    _, other = _keys(tmp_path, "theirs")
    with open_store(store_url, signing_key=str(priv)) as store:
        store.record(*run_estate(T0))
        store.record(*run_estate(T0 + dt.timedelta(days=1)))
    with open_store(store_url) as store:
        assert store.verify(pub).ok
        bad = store.verify(other)
        assert not bad.ok and "does not verify" in str(bad.broken) and "#1" in str(bad.broken)
        store.record(*run_estate(T0 + dt.timedelta(days=2)))  # no key: unsigned link
        assert "is not signed" in str(store.verify(pub).broken)


# ---- opening -------------------------------------------------------------------------------
def test_a_newer_schema_is_refused(store_url: str) -> None:
    open_store(store_url).close()
    _sql(store_url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match=r"newer soc2checks \(store schema 9999\); upgrade"):
        open_store(store_url)


def test_a_foreign_database_is_refused(store_url: str) -> None:
    _sql(store_url, "CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="not a soc2checks evidence store .*invoices"):
        open_store(store_url)


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / "evidence.db"
    p.write_text("hello, I am a text file\n" * 100)
    with pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{p}")
    assert (
        str(err.value) == f"sqlite:///{p}: not a soc2checks evidence store (not an SQLite database)"
    )
    assert p.read_text().startswith("hello")  # untouched


def test_relative_sqlite_url_is_relative_to_base(tmp_path: Path) -> None:
    with open_store(None, base=tmp_path) as store:
        assert store.url == f"sqlite:///{tmp_path.resolve()}/.soc2checks/evidence.db"
    assert (tmp_path / ".soc2checks" / "evidence.db").is_file()


def test_unknown_driver_is_one_line() -> None:
    with pytest.raises(StoreError, match="store URL 'nosuch://x' is not usable"):
        open_store("nosuch://x")


def test_password_is_not_shown(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        open_store("postgresql+psycopg://me:secret@127.0.0.1:1/db")
    assert "secret" not in str(err.value) and "me:***@" in str(err.value)


def test_a_full_disk_is_one_line_and_leaves_the_store_intact(
    tmp_path: Path, run_estate: RunEstate
) -> None:
    from sqlalchemy import event

    url = f"sqlite:///{tmp_path / 'evidence.db'}"
    with open_store(url) as store:
        store.record(*run_estate(T0))
        pages = store._engine.connect().exec_driver_sql("PRAGMA page_count").scalar()
        store._engine.dispose()
        # SQLite's own page limit stands in for a full disk: writes past it fail with
        # "database or disk is full", exactly as on a full file system.
        event.listen(
            store._engine,
            "connect",
            lambda conn, _rec: conn.execute(f"PRAGMA max_page_count = {int(pages) + 2}"),
        )
        estate.WORLD["accounts"]["111"].update({f"new{i:04d}": False for i in range(3000)})
        with pytest.raises(StoreError) as err:
            store.record(*run_estate(T0 + dt.timedelta(days=1)))
        assert "database or disk is full" in str(err.value)
        assert len(str(err.value).splitlines()) == 1
    with open_store(url) as store:
        assert len(store.history()) == 1 and store.verify().ok


@pytest.mark.parametrize(
    "identity",
    [
        ("a.b", "aws", {"region": 'é"x', "account": "1"}, "arn:\u2028/q\\"),
        ("", "", {}, ""),
    ],
)
def test_fingerprint_digest_is_the_canonical_json_of_its_parts(
    identity: tuple[str, str, dict[str, str], str],
) -> None:
    import hashlib

    from soc2checks.store._record import fingerprint_digest

    check, provider, scope, resource = identity
    text = json.dumps(
        [check, provider, scope, resource],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert fingerprint_digest(*identity) == hashlib.sha256(text.encode()).hexdigest()


def test_evidence_stays_linked_when_findings_are_copied(
    store_url: str, run_estate: RunEstate
) -> None:
    result, cap = run_estate(T0)
    copied = result.model_copy(update={"findings": [f.model_copy() for f in result.findings]})
    with open_store(store_url) as store:
        store.record(copied, cap)
        with store._engine.connect() as conn:
            linked = conn.scalar(select(func.count()).where(t.observations.c.resource.is_not(None)))
    assert linked == len(result.findings) == 3
