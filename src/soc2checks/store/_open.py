"""Opening a store: resolve the URL, connect, refuse what is not ours, migrate to head."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soc2checks._errors import MissingDependencyError, Soc2ChecksError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

DEFAULT_URL = "sqlite:///.soc2checks/evidence.db"
_OUR_TABLES = {"runs", "chain", "blobs", "fingerprints", "observations", "populations"}
_PG_LOCK = 0x50C2_C4EC  # pg_advisory_xact_lock key that serialises writers and migrations


class StoreError(Soc2ChecksError):
    """The evidence store cannot be opened, read or written; the message says why."""


def resolve_url(url: str, base: Path) -> str:
    """``url`` with a relative SQLite path made relative to ``base`` (the config's folder)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        rest = url[len(prefix) :]
        if rest and rest != ":memory:":
            return prefix + str((base / rest).resolve())
    return url


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("://")
    if "@" in tail:
        cred, _, host = tail.rpartition("@")
        user = cred.split(":", 1)[0]
        return f"{head}{sep}{user}:***@{host}"
    return url


def _require_sqlalchemy() -> None:
    import importlib.util

    for mod in ("sqlalchemy", "alembic"):
        if importlib.util.find_spec(mod) is None:
            raise MissingDependencyError(
                f"the evidence store needs {mod}, which is not installed: "
                "pip install 'soc2checks[store]'"
            )


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return text.split(" [SQL:")[0][:300]


def make_engine(url: str) -> Engine:
    _require_sqlalchemy()
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    kwargs: dict[str, Any] = {}
    sqlite = url.startswith("sqlite")
    if sqlite:
        kwargs["connect_args"] = {"timeout": 60}
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            p = Path(path)
            if p.is_dir():
                raise StoreError(f"{p}: is a folder, not an evidence store file")
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{p.parent}: cannot create the store's folder: {exc}") from None
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"store URL '{redact(url)}' is not usable: {_one_line(exc)}") from None
    except ImportError as exc:
        raise MissingDependencyError(
            f"store URL '{redact(url)}' needs a driver that is not installed ({exc.name}): "
            "pip install 'soc2checks[store]'"
        ) from None
    if sqlite:

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # One writer at a time, taken at the start so two runs never interleave;
            # readers take no lock up front.
            write = conn.get_execution_options().get("soc2checks_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextlib.contextmanager
def transaction(engine: Engine, url: str, *, lock: bool = True) -> Iterator[Connection]:
    """One transaction; database errors become a one-line :class:`StoreError`."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as conn:
            conn.execution_options(soc2checks_write=lock)
            with conn.begin():
                if lock and conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
                yield conn
    except SQLAlchemyError as exc:
        raise StoreError(f"evidence store {redact(url)}: {_one_line(exc)}") from None


def migrate(engine: Engine, url: str) -> None:
    """Bring the schema to head; refuse a foreign database or a newer schema."""
    from alembic import command
    from alembic.config import Config as AlembicConfig
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    where = redact(url)
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", "soc2checks.store:migrations")
    script = ScriptDirectory.from_config(cfg)
    try:
        with transaction(engine, url) as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            if current is None:
                tables = set(inspect(conn).get_table_names())
                if tables:
                    raise StoreError(
                        f"{where}: not a soc2checks evidence store (it holds other tables: "
                        f"{', '.join(sorted(tables)[:5])}); give another --store URL"
                    )
            else:
                try:
                    script.get_revision(current)
                except CommandError:
                    raise StoreError(
                        f"{where}: written by a newer soc2checks (store schema {current}); "
                        "upgrade soc2checks to read it"
                    ) from None
            if current != script.get_current_head():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            missing = _OUR_TABLES - set(inspect(conn).get_table_names())
            if missing:
                raise StoreError(f"{where}: damaged store: tables missing: {sorted(missing)}")
    except StoreError as exc:
        msg = str(exc)
        if "file is not a database" in msg:
            raise StoreError(
                f"{where}: not a soc2checks evidence store (not an SQLite database)"
            ) from None
        raise
    except SQLAlchemyError as exc:  # pragma: no cover - surfaced through transaction()
        raise StoreError(f"{where}: {_one_line(exc)}") from None
