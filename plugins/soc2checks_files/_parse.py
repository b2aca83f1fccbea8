"""Parsing with line numbers: YAML front matter, YAML lists and CSV tables.

YAML is composed (``yaml.compose`` with the safe loader), not constructed, so every
value keeps its line and its text as written (``version: 1.10`` stays ``"1.10"``) and
dates are parsed here, where a bad one becomes a :class:`Problem` naming the line
instead of an exception that hides the rest of the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from soc2checks_files.models import Problem

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ][0-9:.+\-Zz ]*)?$")
_META_LINE = re.compile(r"^#\s*([A-Za-z][A-Za-z0-9_ -]*?)\s*:\s*(.*?)\s*$")
_NULL = "tag:yaml.org,2002:null"


def normalize_key(key: str) -> str:
    """``Last Reviewed`` and ``last-reviewed`` both become ``last_reviewed``."""
    return re.sub(r"[\s\-]+", "_", key.strip().lower())


@dataclass(frozen=True)
class Entry:
    """One value as written: a string, a list of strings, or ``None``, with its line."""

    value: str | list[str] | None
    line: int
    nested: bool = False
    """True when the value is a mapping or a list of non-scalars (not readable here)."""


@dataclass
class Item:
    """One CSV row or YAML list item: its first line, its values and its problems."""

    line: int
    entries: dict[str, Entry]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Table:
    """A parsed register: file-level metadata, items, and problems of the whole file."""

    meta: dict[str, Entry] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header: list[str] | None = None
    """The normalized column names of a CSV table (``None`` for YAML)."""
    header_line: int = 1
    has_list: bool = False
    """YAML: the document is a list, or a mapping with the list key (possibly empty)."""


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, BOM removed), or a problem saying why it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(location=f"{display}:1", message=f"is not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(location=display, message=f"cannot read: {exc.strerror or exc}")]
    return text.lstrip("\ufeff"), []


def _scalar_text(node: yaml.ScalarNode) -> str | None:
    if node.tag == _NULL:
        return None
    return str(node.value)


def _entry(node: yaml.Node, line: int) -> Entry:
    if isinstance(node, yaml.ScalarNode):
        return Entry(_scalar_text(node), line)
    if isinstance(node, yaml.SequenceNode) and all(
        isinstance(n, yaml.ScalarNode) for n in node.value
    ):
        values = [_scalar_text(n) for n in node.value]
        return Entry([v for v in values if v is not None and v.strip()], line)
    return Entry(None, line, nested=True)


def mapping_entries(
    node: yaml.MappingNode, line_of: Callable[[int], int], display: str
) -> tuple[dict[str, Entry], list[Problem]]:
    """The keys of a YAML mapping with their values and lines; duplicate keys are problems."""
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    for key_node, value_node in node.value:
        line = line_of(key_node.start_mark.line)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL:
            problems.append(Problem(location=f"{display}:{line}", message="a key is not a name"))
            continue
        key = normalize_key(str(key_node.value))
        if key in entries:
            problems.append(
                Problem(
                    location=f"{display}:{line}",
                    message=f"{key!r} is given twice (first on line {entries[key].line})",
                    key=key,
                )
            )
            continue
        entries[key] = _entry(value_node, line)
    return entries, problems


class Fields:
    """Typed access to entries; every value that does not fit adds a problem."""

    def __init__(self, entries: dict[str, Entry], display: str, problems: list[Problem]):
        self.entries = entries
        self.display = display
        self.problems = problems

    def _problem(self, key: str, message: str) -> None:
        self.problem(key, message)

    def problem(self, key: str, message: str) -> None:
        """Add a problem of the field ``key`` (which must be present), on its line."""
        line = self.entries[key].line
        self.problems.append(Problem(location=f"{self.display}:{line}", message=message, key=key))

    def has_problem(self, key: str) -> bool:
        return any(p.key == key for p in self.problems)

    def text(self, key: str) -> str | None:
        entry = self.entries.get(key)
        if entry is None or entry.value is None:
            if entry is not None and entry.nested:
                self._problem(key, f"{key} must be a single value, not a nested structure")
            return None
        if isinstance(entry.value, list):
            self._problem(key, f"{key} must be a single value, not a list")
            return None
        value = entry.value.strip()
        return value or None

    def names(self, key: str) -> list[str]:
        """A list, or a comma-separated string, of names."""
        entry = self.entries.get(key)
        if entry is None or entry.value is None:
            if entry is not None and entry.nested:
                self._problem(key, f"{key} must be a list of names")
            return []
        if isinstance(entry.value, list):
            return [v.strip() for v in entry.value]
        return [v.strip() for v in entry.value.split(",") if v.strip()]

    def date(self, key: str) -> dt.date | None:
        text = self.text(key)
        if text is None:
            return None
        match = _DATE.match(text)
        if match is None:
            self._problem(key, f"{key} {text!r} is not a date: write YYYY-MM-DD")
            return None
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            self._problem(key, f"{key} {text!r} is not a valid date ({exc})")
            return None

    def rest(self, known: set[str]) -> dict[str, str | list[str]]:
        """Other keys with a plain value, for checks that read custom fields."""
        out: dict[str, str | list[str]] = {}
        for key, entry in self.entries.items():
            if key in known or entry.value is None:
                continue
            out[key] = entry.value
        return out


def _yaml_problem(exc: yaml.YAMLError, display: str, line_of: Callable[[int], int]) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = line_of(mark.line) if mark is not None else line_of(0)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return Problem(location=f"{display}:{line}", message=f"invalid YAML: {reason}")


@dataclass
class FrontMatter:
    """The front matter of a Markdown file and the Markdown body after it."""

    present: bool
    entries: dict[str, Entry]
    problems: list[Problem]
    body: str


def parse_front_matter(text: str, display: str) -> FrontMatter:
    """Split ``---``-delimited YAML front matter from a Markdown file and read it.

    The front matter must start on the first line; it ends at the next line that is
    ``---`` or ``...``. A file without it has no entries and no problems (the checks
    report the missing fields).
    """
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(False, {}, [], text)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return FrontMatter(
            True,
            {},
            [
                Problem(
                    location=f"{display}:1",
                    message="front matter opened by '---' on line 1 is never closed by '---'",
                )
            ],
            "",
        )
    body = "\n".join(lines[end + 1 :])

    def line_of(zero_based: int) -> int:
        return zero_based + 2

    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return FrontMatter(True, {}, [_yaml_problem(exc, display, line_of)], body)
    if node is None:
        return FrontMatter(True, {}, [], body)
    if not isinstance(node, yaml.MappingNode):
        return FrontMatter(
            True,
            {},
            [
                Problem(
                    location=f"{display}:2",
                    message="front matter must be a mapping of keys to values (key: value)",
                )
            ],
            body,
        )
    entries, problems = mapping_entries(node, line_of, display)
    return FrontMatter(True, entries, problems, body)


def first_heading(markdown: str) -> str | None:
    """The text of the first ``# heading`` of a Markdown body."""
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
    return None


def headings(markdown: str) -> list[str]:
    """The text of every Markdown heading (``#`` to ``######``) of a body, in order."""
    out = []
    for line in markdown.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#"):
            text = stripped.lstrip("#")
            if text.startswith(" ") and text.strip():
                out.append(text.strip())
    return out


def parse_yaml_table(text: str, display: str, list_key: str) -> Table:
    """A YAML register: a mapping with metadata keys and a list under ``list_key``.

    A bare list of items (no metadata) is accepted too.
    """
    table = Table()

    def line_of(zero_based: int) -> int:
        return zero_based + 1

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        table.problems.append(_yaml_problem(exc, display, line_of))
        return table
    if root is None:
        return table
    items_node: yaml.Node | None
    if isinstance(root, yaml.SequenceNode):
        items_node = root
        table.has_list = True
    elif isinstance(root, yaml.MappingNode):
        entries, problems = mapping_entries(root, line_of, display)
        table.problems.extend(p for p in problems if p.key != list_key)
        items_node = None
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and normalize_key(str(key_node.value)) == (
                list_key
            ):
                items_node = value_node
                table.has_list = True
                break
        table.meta = {k: v for k, v in entries.items() if k != list_key}
        if items_node is not None and isinstance(items_node, yaml.ScalarNode):
            if items_node.tag == _NULL:
                return table
            items_node = None
            table.problems.append(
                Problem(
                    location=f"{display}:{entries[list_key].line}",
                    message=f"{list_key} must be a list",
                )
            )
            return table
        if items_node is None:
            return table
    else:
        table.problems.append(
            Problem(
                location=f"{display}:{line_of(root.start_mark.line)}",
                message=f"expected a mapping with a {list_key!r} list",
            )
        )
        return table
    if not isinstance(items_node, yaml.SequenceNode):
        table.problems.append(
            Problem(
                location=f"{display}:{line_of(items_node.start_mark.line)}",
                message=f"{list_key} must be a list",
            )
        )
        return table
    for item_node in items_node.value:
        line = line_of(item_node.start_mark.line)
        if not isinstance(item_node, yaml.MappingNode):
            table.items.append(
                Item(
                    line,
                    {},
                    [
                        Problem(
                            location=f"{display}:{line}",
                            message="list item is not a mapping of keys to values",
                        )
                    ],
                )
            )
            continue
        entries, problems = mapping_entries(item_node, line_of, display)
        table.items.append(Item(line, entries, problems))
    return table


def parse_csv_table(text: str, display: str) -> Table:
    """A CSV register with a header row.

    Lines before the header that start with ``#`` are comments; those of the form
    ``# key: value`` (``# last_reviewed: 2026-01-15``) are the register's metadata.
    Blank lines and rows whose first cell starts with ``#`` are skipped. A row with the
    wrong number of fields, or unbalanced quotes, is a problem of that row only.
    """
    table = Table()
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            break
        match = _META_LINE.match(stripped)
        if match is not None:
            key = normalize_key(match.group(1))
            if key in table.meta:
                table.problems.append(
                    Problem(
                        location=f"{display}:{index + 1}",
                        message=f"{key!r} is given twice (first on line {table.meta[key].line})",
                        key=key,
                    )
                )
            else:
                table.meta[key] = Entry(match.group(2) or None, index + 1)
        index += 1
    if index >= len(lines):
        return table
    header_line = index + 1
    reader = csv.reader(io.StringIO("".join(lines[index:])), strict=True)
    try:
        header = [normalize_key(h) for h in next(reader)]
    except csv.Error as exc:
        table.problems.append(
            Problem(
                location=f"{display}:{header_line}", message=f"header row is not valid CSV: {exc}"
            )
        )
        return table
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if not name:
            table.problems.append(
                Problem(
                    location=f"{display}:{header_line}", message=f"column {position} has no name"
                )
            )
        elif name in seen:
            table.problems.append(
                Problem(
                    location=f"{display}:{header_line}",
                    message=f"column {name!r} appears twice (columns {seen[name]} and {position})",
                )
            )
        else:
            seen[name] = position
    table.header, table.header_line = header, header_line
    if table.problems:
        return table
    offset = header_line - 1
    while True:
        start = offset + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.items.append(
                Item(
                    start,
                    {},
                    [Problem(location=f"{display}:{start}", message=f"not valid CSV: {exc}")],
                )
            )
            continue
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        entries = {
            name: Entry(cell.strip() or None, start)
            for name, cell in zip(header, row, strict=False)
        }
        if len(row) != len(header):
            message = (
                f"expected {len(header)} fields ({', '.join(header)}), found {len(row)}"
                " (a comma inside a value needs double quotes)"
            )
            table.items.append(
                Item(start, entries, [Problem(location=f"{display}:{start}", message=message)])
            )
            continue
        table.items.append(Item(start, entries))
    return table
