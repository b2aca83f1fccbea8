"""Reading record files (CSV, YAML, JSON) into the models of :mod:`soc2checks_files.records`.

Every value keeps its file and line; a value that does not fit its column's type, an
empty required value, a repeated key or a header without a required column becomes a
:class:`~soc2checks_files.models.Problem`, never an exception.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path

from soc2checks_files._parse import (
    Entry,
    Fields,
    Item,
    Table,
    parse_csv_table,
    parse_yaml_table,
    read_text,
)
from soc2checks_files.models import FilesRoot, Problem
from soc2checks_files.records import (
    Column,
    RecordBook,
    RecordRow,
    RecordSet,
    RecordType,
    Value,
)

RECORD_SUFFIXES = (".csv", ".yaml", ".yml", ".json")
_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0", ""})
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$"
)


def _matching_files(folder: Path, rtype: RecordType) -> list[Path]:
    if not folder.is_dir():
        return []
    out = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part.startswith(("_", ".")) for part in rel.parts) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in RECORD_SUFFIXES:
            continue
        stem = rel.as_posix()[: -len(suffix)].lower()
        if any(fnmatch(stem, p.lower()) for p in rtype.patterns):
            out.append(path)
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def _parse_json(text: str, display: str, list_key: str) -> Table:
    """JSON is read through the YAML composer so every value keeps its line.

    It is first validated as JSON, so a JSON syntax error is reported as such, with
    its line; JSON strings hold no raw tabs, so tabs outside them may become spaces.
    """
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return Table(
            problems=[
                Problem(location=f"{display}:{exc.lineno}", message=f"invalid JSON: {exc.msg}")
            ]
        )
    return parse_yaml_table(text.replace("\t", " "), display, list_key)


def _coerce(col: Column, fields: Fields, entries: dict[str, Entry]) -> Value:
    key = col.name
    if col.type == "names":
        return fields.names(key) if key in entries else []
    if col.type == "date":
        return fields.date(key)
    text = fields.text(key)
    if text is None:
        return None
    if col.type == "text":
        return text
    if col.type == "int":
        try:
            return int(text)
        except ValueError:
            fields.problem(key, f"{key} {text!r} is not a whole number")
            return None
    if col.type == "bool":
        low = text.lower()
        if low in _TRUE or low in _FALSE:
            return low in _TRUE
        fields.problem(key, f"{key} {text!r} is not yes or no")
        return None
    match = _DATETIME.match(text)
    if match is None:
        fields.problem(key, f"{key} {text!r} is not a date or time: write YYYY-MM-DDTHH:MM")
        return None
    return _datetime(match, key, text, fields)


def _datetime(match: re.Match[str], key: str, text: str, fields: Fields) -> Value:
    y, mo, d, h, mi, s, tz = match.groups()
    try:
        tzinfo = dt.timezone.utc
        if tz and tz not in ("Z", "z"):
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            tzinfo = dt.timezone(sign * offset)
        moment = dt.datetime(
            int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tzinfo
        )
    except ValueError as exc:
        fields.problem(key, f"{key} {text!r} is not a valid date or time ({exc})")
        return None
    return moment.astimezone(dt.timezone.utc)


def _rename_aliases(rtype: RecordType, entries: dict[str, Entry]) -> dict[str, Entry]:
    out = dict(entries)
    for col in rtype.columns:
        if col.name in out:
            continue
        for alias in col.aliases:
            if alias in out:
                out[col.name] = out.pop(alias)
                break
    return out


def _header_problems(rtype: RecordType, table: Table, display: str, fmt: str) -> list[Problem]:
    """A CSV file must have every required column in its header."""
    if fmt != "csv" or table.header is None:
        return []
    names = {n: Entry(None, table.header_line) for n in table.header}
    header = set(_rename_aliases(rtype, names))
    missing = [c.name for c in rtype.columns if c.required and c.name not in header]
    if not missing:
        return []
    return [
        Problem(
            location=f"{display}:{table.header_line}",
            message=f"the header lacks required column(s) {', '.join(missing)}",
        )
    ]


def _rows(
    rtype: RecordType, table: Table, rel: str, display: str, seen: dict[str, str]
) -> list[RecordRow]:
    rows: list[RecordRow] = []
    declared = {c.name for c in rtype.columns}
    for item in table.items:
        rows.append(_row(rtype, item, rel, display, declared, seen))
    return rows


def _row(
    rtype: RecordType,
    item: Item,
    rel: str,
    display: str,
    declared: set[str],
    seen: dict[str, str],
) -> RecordRow:
    problems = list(item.problems)
    entries = _rename_aliases(rtype, item.entries)
    fields = Fields(entries, display, problems)
    values: dict[str, Value] = {}
    for col in rtype.columns:
        values[col.name] = _coerce(col, fields, entries)
        if col.required and values[col.name] in (None, []) and not fields.has_problem(col.name):
            problems.append(
                Problem(
                    location=f"{display}:{item.line}",
                    message=f"required {col.name} is empty",
                    key=col.name,
                )
            )
    resource_id = f"{rel}#line-{item.line}"
    if rtype.key is not None:
        key_value = values.get(rtype.key)
        if isinstance(key_value, str):
            norm = key_value.strip().lower()
            if norm in seen:
                problems.append(
                    Problem(
                        location=f"{display}:{item.line}",
                        message=(
                            f"{rtype.key} {key_value!r} is listed twice (first at {seen[norm]})"
                        ),
                    )
                )
            else:
                seen[norm] = f"{display}:{item.line}"
                resource_id = f"{rel}#{key_value}"
    return RecordRow.model_construct(  # values are typed here: no re-validation
        resource_id=resource_id,
        record_type=rtype.name,
        path=display,
        line=item.line,
        values=values,
        other=fields.rest(declared),
        problems=problems,
    )


def read_record_set(root: FilesRoot, root_path: Path, rtype: RecordType) -> RecordSet:
    """Read every file of one record type under the records folder."""
    patterns = ", ".join(f"{root.records}/{p}" for p in rtype.patterns)
    expected = ", ".join(root.display(f"{root.records}/{p}") for p in rtype.patterns)
    record_set = RecordSet(
        resource_id=patterns,
        record_type=rtype.name,
        title=rtype.title,
        expected=expected,
        enabled=bool(root.records),
    )
    if not root.records:
        return record_set
    seen: dict[str, str] = {}
    for path in _matching_files(root_path / root.records, rtype):
        rel = path.relative_to(root_path).as_posix()
        display = root.display(rel)
        record_set.files.append(display)
        text, problems = read_text(path, display)
        if text is None:
            record_set.problems.extend(problems)
            continue
        suffix = path.suffix.lower()
        fmt = "csv" if suffix == ".csv" else ("json" if suffix == ".json" else "yaml")
        if fmt == "csv":
            table = parse_csv_table(text, display)
        elif fmt == "json":
            table = _parse_json(text, display, "records")
        else:
            table = parse_yaml_table(text, display, "records")
        record_set.problems.extend(table.problems)
        if fmt != "csv" and not table.problems and not table.has_list and text.strip():
            record_set.problems.append(
                Problem(
                    location=f"{display}:1",
                    message="expected a list of records, or a mapping with a 'records' list",
                )
            )
        record_set.problems.extend(_header_problems(rtype, table, display, fmt))
        record_set.rows.extend(_rows(rtype, table, rel, display, seen))
    return record_set


def read_record_book(
    root: FilesRoot, root_path: Path, record_types: Iterable[RecordType]
) -> RecordBook:
    """Read every declared record type."""
    book = RecordBook(folder=root.display(root.records) if root.records else root.folder)
    for rtype in record_types:
        book.sets[rtype.name] = read_record_set(root, root_path, rtype)
    return book
