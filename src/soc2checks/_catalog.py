"""The Trust Services Criteria catalog, shipped as data (``tsc-2017.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

CATEGORY_OF_PREFIX = {
    "CC": "security",
    "A": "availability",
    "PI": "processing-integrity",
    "C": "confidentiality",
    "P": "privacy",
}


@dataclass(frozen=True)
class Criterion:
    id: str
    category: str
    title: str

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return criterion_sort_key(self.id)


_ORDER = ["CC", "A", "PI", "C", "P"]


def criterion_sort_key(cid: str) -> tuple[int, int, int]:
    """CC1.1 < CC1.2 < CC10.1 < A1.1 < ... (numeric, framework order)."""
    prefix = cid.rstrip("0123456789.")
    try:
        major, minor = cid[len(prefix) :].split(".")
        return (_ORDER.index(prefix), int(major), int(minor))
    except ValueError:
        return (len(_ORDER), 0, 0)


@lru_cache(maxsize=1)
def criteria() -> dict[str, Criterion]:
    """All 61 criteria by ID, in framework order."""
    text = resources.files("soc2checks").joinpath("tsc-2017.json").read_text("utf-8")
    data = json.loads(text)
    items = [Criterion(**row) for row in data["criteria"]]
    items.sort(key=lambda c: c.sort_key)
    return {c.id: c for c in items}


def category_of(cid: str) -> str | None:
    c = criteria().get(cid)
    return c.category if c else None
