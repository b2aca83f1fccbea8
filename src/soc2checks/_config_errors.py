"""One-line messages for mistakes in a config file.

Pydantic and ``tomllib`` describe a problem in their own terms ("Extra inputs are not
permitted", "invalid character in year", "Expected newline or end of document"). The
functions here say the same thing in the terms of the config file: which key, what
was expected, the valid keys and the closest one, and, for a top-level key written
below a ``[table]`` header, that it landed in that table.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

DATE_HINT = "expected a date like 2027-03-31 (YYYY-MM-DD)"
_DATE_ERRORS = frozenset(
    {
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "date_future",
        "date_past",
    }
)
_PREFIXES = ("Value error, ", "Assertion failed, ")
_SHOWN = 3  # problems described in full; the rest are named by key
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_DATE_LINE = re.compile(
    r"(?P<key>\bexpires\b|\b[A-Za-z0-9_-]*date[A-Za-z0-9_-]*\b)\s*=\s*(?P<value>[^,}\]#]*)"
)
_DATE_SHAPE = re.compile(r"^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def suggest(name: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the options close to ``name``, else ``""``."""
    close = difflib.get_close_matches(name, list(options), n=3)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a settings model accepts, as written in the file (aliases first)."""
    return [f.alias or name for name, f in model.model_fields.items()]


def misplaced_hint(key: str, header: str, top_level: Sequence[str]) -> str:
    """For a top-level key that TOML put in the table of ``header``."""
    if key not in top_level:
        return ""
    return (
        f"; did you mean to put `{key}` above `{header}`? (a key below a table header "
        "belongs to that table)"
    )


def unknown_key_message(
    key: str,
    where: str,
    valid: Sequence[str],
    top_level: Sequence[str] = (),
    header: str | None = None,
) -> str:
    """``unknown key 'region' in [aws]; valid keys: regions, ... (did you mean 'regions'?)``."""
    msg = f"unknown key '{key}' in {where}"
    if valid:
        msg += f"; valid keys: {', '.join(valid)}{suggest(key, valid)}"
    return msg + misplaced_hint(key, header or where, top_level)


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _submodel(arg)
            if found is not None:
                return found
    return None


def _model_at(model: type[BaseModel] | None, loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model that validates the value at ``loc`` (list indexes skipped), if any."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        model = _submodel(field.annotation)
    return model


def render_loc(loc: Sequence[Any], table: str | None = None) -> str:
    """``aws.regions``, ``waivers[0].expires``."""
    out = table or ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _header(loc: Sequence[Any], table: str | None) -> str:
    """The TOML header a key at ``loc`` was written under: ``[aws]``, ``[[waivers]]``."""
    if table is not None and not loc:
        return f"[{table}]"
    if loc and isinstance(loc[-1], int):
        return f"[[{render_loc(loc[:-1], table)}]]"
    return f"[{render_loc(loc, table)}]"


def _describe(
    e: Any, model: type[BaseModel] | None, table: str | None, top_level: Sequence[str]
) -> str:
    loc = tuple(e["loc"])
    kind = e["type"]
    if kind == "extra_forbidden" and loc:
        parent = loc[:-1]
        sub = _model_at(model, parent)
        header = _header(parent, table)
        where = render_loc(parent, table) if parent and isinstance(parent[-1], int) else header
        return unknown_key_message(
            str(loc[-1]),
            where,
            field_names(sub) if sub is not None else [],
            top_level,
            header,
        )
    where = render_loc(loc, table) or "top level"
    if kind == "missing":
        return f"{where}: required key is missing"
    if kind in _DATE_ERRORS:
        return f"{where}: {DATE_HINT}, got {e.get('input')!r}"
    msg = str(e["msg"])
    for prefix in _PREFIXES:
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    hint = ""
    if len(loc) >= 2 and isinstance(loc[1], str) and table is None and str(loc[0]) != loc[1]:
        hint = misplaced_hint(loc[1], f"[{loc[0]}]", top_level)
    return f"{where}: {msg}{hint}"


def describe_validation_error(
    source: str,
    err: ValidationError,
    model: type[BaseModel] | None = None,
    *,
    table: str | None = None,
    top_level: Sequence[str] = (),
) -> str:
    """Every problem of ``err`` on one line, each naming its key.

    ``table`` names the config table a settings model validated (``aws``);
    ``top_level`` lists the top-level keys, to spot one written below a header.
    """
    parts = [_describe(e, model, table, top_level) for e in err.errors()]
    unique = list(dict.fromkeys(parts))
    text = "; ".join(unique[:_SHOWN])
    if len(unique) > _SHOWN:
        rest = [render_loc(tuple(e["loc"]), table) or "top level" for e in err.errors()[_SHOWN:]]
        text += f"; and {len(unique) - _SHOWN} more at {', '.join(dict.fromkeys(rest))}"
    return f"{source}: {text}"


def describe_toml_error(source: str, text: str, exc: Exception) -> str:
    """A TOML parse error; when it falls on a date line, says that the date is the problem."""
    detail = str(exc)
    at = _TOML_AT.search(detail)
    if at:
        lines = text.splitlines()
        number = int(at.group(1))
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        m = _DATE_LINE.search(line)
        if m and (m.group("key") == "expires" or _DATE_SHAPE.match(m.group("value"))):
            key, value = m.group("key"), m.group("value").strip()
            return (
                f"{source}: line {number}: {key} = {value} is not a TOML date: "
                f"{DATE_HINT}, written without quotes ({key} = 2027-03-31)"
            )
    return f"{source}: not valid TOML: {detail}"
