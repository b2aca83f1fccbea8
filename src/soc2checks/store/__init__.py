"""The evidence store: every run recorded as data, chained, verifiable.

    store = open_store("sqlite:///.soc2checks/evidence.db")
    store.record(result, capture)      # one transaction, chained to the previous run
    store.verify()                     # recompute every digest and the chain

One module per job: ``_schema`` (tables), ``_canonical`` (canonical JSON, digests),
``_open`` (URL, connect, migrate), ``_record`` (write a run), ``_verify``,
``_queries`` (history, state), ``_period`` (period report), ``_import`` (findings
files), ``_sign`` (Ed25519).
SQLAlchemy and Alembic are imported only when a store is opened.
"""

from __future__ import annotations

from soc2checks.store._open import DEFAULT_URL, StoreError
from soc2checks.store._store import Store, open_store, period_report_schema

__all__ = ["DEFAULT_URL", "Store", "StoreError", "open_store", "period_report_schema"]
