"""Canonical JSON and digests: the bytes every stored digest is computed over.

Canonical JSON is UTF-8, keys sorted, no insignificant whitespace, no NaN. A digest
is the lowercase hex SHA-256 of those bytes. Blobs are stored zlib-compressed; their
digest is over the canonical bytes, never the compressed ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from typing import Any

from soc2checks._evidence import jsonable


def canonical(value: Any) -> bytes:
    """``value`` as canonical JSON bytes (models and dates converted first)."""
    return canonical_plain(jsonable(value))


def canonical_plain(value: Any) -> bytes:
    """Canonical JSON bytes of a value that is already plain JSON data."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_of(value: Any) -> str:
    """SHA-256 of the canonical JSON of ``value``."""
    return digest(canonical(value))


def pack(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def unpack(data: bytes) -> bytes:
    return zlib.decompress(data)


def utc_text(value: dt.datetime) -> str:
    """A UTC instant as fixed-width text, so text order is time order in every database."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)
