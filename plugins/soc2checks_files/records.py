"""The records engine: tabular exports (CSV, YAML, JSON) read into typed rows.

A record type is declared once, as data (:class:`RecordType`): its name, the file
patterns it is read from under the records folder, its columns with their types and
which are required, an optional unique key and its date field. Teams keep the exports
they already have (an HRIS export, a ticket-system CSV, a spreadsheet saved as CSV)::

    compliance/records/personnel.csv         the personnel roster
    compliance/records/training-2026.yaml    training completions (several files may match)

Each file becomes rows; each row becomes a :class:`RecordRow` whose values are typed
(dates are :class:`datetime.date`, flags are ``bool``). Nothing here judges: a
malformed row carries :class:`~soc2checks_files.models.Problem` objects naming the file
and line, a malformed file (bad YAML, a missing required column) carries them on its
:class:`RecordSet`, and the checks turn them into ``error`` findings. A record type
with no file at all is ``found=False``: a ``fail`` of every check that needs it.

First-party record types are declared in :mod:`soc2checks_files.record_types`; third
parties add theirs through the ``soc2checks_record_types`` hook. Reading files into
these models is :mod:`soc2checks_files._read_records`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from soc2checks_files._parse import (
    normalize_key,
)
from soc2checks_files.models import Parsed

__all__ = ["Column", "RecordBook", "RecordRow", "RecordSet", "RecordType", "collect_record_types"]

ColumnType = Literal["text", "date", "datetime", "int", "bool", "names"]
Value = str | int | bool | dt.date | dt.datetime | list[str] | None
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Column(BaseModel):
    """One column (CSV) or key (YAML, JSON) of a record type."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    """Normalized like every key: ``Start Date`` in a header is ``start_date``."""
    type: ColumnType = "text"
    required: bool = False
    """A required column must be in the file's header and given on every row."""
    aliases: tuple[str, ...] = ()
    """Other header names exports use for it (``work_email`` for ``email``)."""

    @model_validator(mode="after")
    def _normalized(self) -> Column:
        object.__setattr__(self, "name", normalize_key(self.name))
        object.__setattr__(self, "aliases", tuple(normalize_key(a) for a in self.aliases))
        return self


class RecordType(BaseModel):
    """A kind of record, declared once: where it is read from and what a row holds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    """``training``, ``personnel``: lower-case words joined by ``-``."""
    title: str = ""
    """How messages name the records: ``training records``; defaults to the name."""
    patterns: tuple[str, ...]
    """Glob patterns of file names under the records folder, without suffix
    (``training*``); a file matches with a ``.csv``, ``.yaml``, ``.yml`` or ``.json``
    suffix. Every matching file is read."""
    columns: tuple[Column, ...]
    key: str | None = None
    """A column whose value is unique across the files (a person's email in the roster);
    a repeated value is a problem of the later row."""
    date_field: str | None = None
    """The column that dates a row (``completed_on``)."""
    description: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> RecordType:
        if not _NAME.match(self.name):
            raise ValueError(f"record type name {self.name!r}: use lower-case words joined by '-'")
        if not self.patterns:
            raise ValueError(f"record type {self.name}: give at least one file pattern")
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"record type {self.name}: a column is declared twice")
        types = {c.name: c.type for c in self.columns}
        for label, col in (("key", self.key), ("date_field", self.date_field)):
            if col is not None and col not in types:
                raise ValueError(f"record type {self.name}: {label} {col!r} is not a column")
        if self.date_field is not None and types[self.date_field] not in ("date", "datetime"):
            raise ValueError(f"record type {self.name}: date_field must be a date column")
        if not self.title:
            object.__setattr__(self, "title", f"{self.name} records")
        return self

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


class RecordRow(Parsed):
    """One row of a record type: its typed values, where it was read, its problems."""

    resource_id: str
    """``records/personnel.csv#ada@example.com`` (the key), else ``…#line-7``."""
    record_type: str
    path: str
    """The file as users see it: ``compliance/records/personnel.csv``."""
    line: int
    values: dict[str, Value] = Field(default_factory=dict)
    """Declared columns with their typed values (``None`` when empty or malformed)."""
    other: dict[str, str | list[str]] = Field(default_factory=dict)
    """Undeclared columns as written."""

    @property
    def resource_type(self) -> str:
        return f"files:record:{self.record_type}"

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def value(self, key: str) -> object:
        return self.values[key] if key in self.values else self.other.get(key)

    def text(self, key: str) -> str | None:
        v = self.value(key)
        if v is None:
            return None
        if isinstance(v, list):
            return ", ".join(v) or None
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        return str(v)

    def date(self, key: str) -> dt.date | None:
        v = self.values.get(key)
        if isinstance(v, dt.datetime):
            return v.date()
        return v if isinstance(v, dt.date) else None

    def moment(self, key: str) -> dt.datetime | None:
        """A date or datetime column as an aware UTC datetime (a date is midnight UTC)."""
        v = self.values.get(key)
        if isinstance(v, dt.datetime):
            return v
        if isinstance(v, dt.date):
            return dt.datetime(v.year, v.month, v.day, tzinfo=dt.timezone.utc)
        return None

    def flag(self, key: str) -> bool | None:
        v = self.values.get(key)
        return v if isinstance(v, bool) else None

    def names(self, key: str) -> list[str]:
        v = self.value(key)
        if isinstance(v, list):
            return list(v)
        if isinstance(v, str):
            return [p.strip() for p in v.split(",") if p.strip()]
        return []


class RecordSet(Parsed):
    """Every row of one record type, from every file that matched its patterns."""

    resource_id: str
    """``records/training*``: the patterns under the records folder."""
    record_type: str
    title: str
    expected: str
    """Where the files are looked for, as users see it: ``compliance/records/training*``."""
    enabled: bool = True
    """False when ``[files] records = ""``: records are kept elsewhere."""
    files: list[str] = Field(default_factory=list)
    rows: list[RecordRow] = Field(default_factory=list)

    @property
    def resource_type(self) -> str:
        return f"files:records:{self.record_type}"

    @property
    def found(self) -> bool:
        return bool(self.files)

    @property
    def row_count(self) -> int:
        return len(self.rows)


class RecordBook(BaseModel):
    """Every declared record type, read once per run (the ``files_record_book`` fixture)."""

    resource_id: str = "records"
    folder: str = ""
    """The records folder as users see it (``compliance/records``)."""
    sets: dict[str, RecordSet] = Field(default_factory=dict)

    @property
    def resource_type(self) -> str:
        return "files:record-book"

    def get(self, name: str) -> RecordSet:
        """The records of type ``name``; :class:`LookupError` if no plugin declares it."""
        try:
            return self.sets[name]
        except KeyError:
            known = ", ".join(sorted(self.sets)) or "none"
            raise LookupError(
                f"record type {name!r} is not declared by any plugin (declared: {known})"
            ) from None


def collect_record_types(results: Iterable[Iterable[object]]) -> list[RecordType]:
    """Flatten ``soc2checks_record_types`` hook results; a duplicate name is an error."""
    found: dict[str, RecordType] = {}
    for result in results:
        for item in result or ():
            if not isinstance(item, RecordType):
                raise TypeError(
                    f"soc2checks_record_types returned {type(item).__name__}, "
                    "expected soc2checks_files.records.RecordType"
                )
            if item.name in found and found[item.name] != item:
                raise ValueError(f"record type {item.name!r} is declared twice by plugins")
            found[item.name] = item
    return [found[n] for n in sorted(found)]
