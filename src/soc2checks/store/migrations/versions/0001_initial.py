"""The first schema of the evidence store.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("seq", sa.Integer, nullable=True, unique=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("provenance", sa.String(16), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32), nullable=True),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("prev_digest", sa.String(64), nullable=True),
        sa.Column("digest", sa.String(64), nullable=True),
        sa.Column("signature", sa.Text, nullable=True),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])
    chain = op.create_table(
        "chain",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("head_seq", sa.Integer, nullable=False),
        sa.Column("head_digest", sa.String(64), nullable=True),
    )
    op.bulk_insert(chain, [{"id": 1, "head_seq": 0, "head_digest": None}])
    op.create_table(
        "blobs",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "fingerprints",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("check_id", sa.Text, nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("resource_id", sa.Text, nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fingerprint_id", sa.Integer, sa.ForeignKey("fingerprints.id"), nullable=False),
        sa.Column("body", sa.String(64), sa.ForeignKey("blobs.digest"), nullable=False),
        sa.Column("resource", sa.String(64), sa.ForeignKey("blobs.digest"), nullable=True),
        sa.Column("population", sa.String(64), nullable=True),
        sa.Column("first_seq", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_observations_last_seq", "observations", ["last_seq"])
    op.create_index("ix_observations_first_seq", "observations", ["first_seq"])
    op.create_table(
        "populations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_pk", sa.Integer, sa.ForeignKey("runs.pk"), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("fixture", sa.Text, nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("operations", sa.Text, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("record_count", sa.Integer, nullable=True),
        sa.Column("error", sa.Text, nullable=False),
    )
    op.create_index("ix_populations_run_pk", "populations", ["run_pk"])


def downgrade() -> None:
    for name in ("populations", "observations", "fingerprints", "blobs", "chain", "runs"):
        op.drop_table(name)
