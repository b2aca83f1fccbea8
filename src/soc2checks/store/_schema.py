"""The store's tables (SQLAlchemy Core); migrations in ``migrations/`` create them.

runs          one row per run: metadata (canonical JSON), state, chain digests
chain         one row: the head of the run chain (locked while a run is written)
blobs         content-addressed canonical JSON, zlib-compressed: finding bodies,
              resource models; shared by every run that saw the same content
fingerprints  the identity of a finding: check, provider, scope, resource
observations  a fingerprint with one body, resource and population, seen in every
              chained run from ``first_seq`` to ``last_seq`` (so an unchanged finding
              costs nothing per run)
populations   per run: each query that produced a population and its record count
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("seq", Integer, nullable=True, unique=True),
    Column("state", String(16), nullable=False),
    Column("provenance", String(16), nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=True),
    Column("counts", Text, nullable=False),
    Column("meta", Text, nullable=False),
    Column("prev_digest", String(64), nullable=True),
    Column("digest", String(64), nullable=True),
    Column("signature", Text, nullable=True),
    Index("ix_runs_started_at", "started_at"),
)

chain = Table(
    "chain",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("head_seq", Integer, nullable=False),
    Column("head_digest", String(64), nullable=True),
)

blobs = Table(
    "blobs",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

fingerprints = Table(
    "fingerprints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("check_id", Text, nullable=False),
    Column("provider", Text, nullable=False),
    Column("scope", Text, nullable=False),
    Column("resource_id", Text, nullable=False),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fingerprint_id", Integer, ForeignKey("fingerprints.id"), nullable=False),
    Column("body", String(64), ForeignKey("blobs.digest"), nullable=False),
    Column("resource", String(64), ForeignKey("blobs.digest"), nullable=True),
    Column("population", String(64), nullable=True),
    Column("first_seq", Integer, nullable=False),
    Column("last_seq", Integer, nullable=False),
    Index("ix_observations_last_seq", "last_seq"),
    Index("ix_observations_first_seq", "first_seq"),
)

populations = Table(
    "populations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_pk", Integer, ForeignKey("runs.pk"), nullable=False),
    Column("key", String(64), nullable=False),
    Column("fixture", Text, nullable=False),
    Column("provider", Text, nullable=False),
    Column("scope", Text, nullable=False),
    Column("operations", Text, nullable=False),
    Column("complete", Boolean, nullable=False),
    Column("record_count", Integer, nullable=True),
    Column("error", Text, nullable=False),
    Index("ix_populations_run_pk", "run_pk"),
)
