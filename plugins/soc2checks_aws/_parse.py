"""Reading API answers field by field, noting every judged field the answer lacked.

Missing data is never a pass: a field a check judges that AWS did not return (or
returned in a form we cannot read) is not replaced by a default. The fixture records
it in the model's ``missing_fields`` (attribute -> AWS's name for it) and the engine
turns any check that reads it into an ``error`` finding.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

# Credential-report values that mean "none" rather than "unreadable".
_NO_DATE = frozenset({"N/A", "no_information", "not_supported"})


class Answer:
    """One API answer (a mapping) read field by field.

    ``prefix`` is how AWS's names of the fields are shown (``"KeyMetadata."``).
    """

    def __init__(self, data: Any, prefix: str = "") -> None:
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        self.prefix = prefix
        self.missing: dict[str, str] = {}

    def mark(self, attr: str, api_name: str) -> None:
        """Record that ``attr`` could not be read (``api_name``: what AWS calls it)."""
        self.missing.setdefault(attr, api_name)

    def flag(self, attr: str, key: str) -> bool:
        """A boolean (or 0/1) field; missing or of another type: recorded, ``False``."""
        value = self.data.get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        self.mark(attr, self.prefix + key)
        return False

    def integer(self, attr: str, key: str) -> int:
        """An integer field; missing or not an integer: recorded, ``0``."""
        value = self.data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.mark(attr, self.prefix + key)
        return 0

    def text(self, attr: str, key: str) -> str:
        """A non-empty string field; missing or empty: recorded, ``""``."""
        value = self.data.get(key)
        if isinstance(value, str) and value:
            return value
        self.mark(attr, self.prefix + key)
        return ""

    def items(self, attr: str, key: str) -> list[Any]:
        """A list field; missing or not a list: recorded, ``[]``."""
        value = self.data.get(key)
        if isinstance(value, list):
            return value
        self.mark(attr, self.prefix + key)
        return []


def csv_flag(row: Mapping[str, str | None], attr: str, column: str, into: Answer) -> bool:
    """A ``true``/``false`` credential-report column; anything else is recorded."""
    value = (row.get(column) or "").strip().lower()
    if value in ("true", "false"):
        return value == "true"
    into.mark(attr, column)
    return False


def csv_when(
    row: Mapping[str, str | None], attr: str, column: str, into: Answer
) -> dt.datetime | None:
    """A credential-report timestamp; ``N/A`` and similar are ``None``.

    A missing column or a value that is neither a timestamp nor one of AWS's
    "none" words is recorded as missing (``None``), never silently dropped.
    """
    value = row.get(column)
    if value is None:
        into.mark(attr, column)
        return None
    value = value.strip()
    if value in _NO_DATE:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        into.mark(attr, f"{column} ({value!r} is not a timestamp)")
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def policy_document(doc: Any) -> dict[str, Any] | None:
    """A policy document as a dict, or ``None`` when it is not one.

    botocore usually decodes IAM documents; strings are (URL-encoded) JSON.
    """
    if isinstance(doc, dict):
        return doc
    if isinstance(doc, str) and doc.strip():
        text = doc if doc.lstrip().startswith("{") else unquote(doc)
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None
    return None
