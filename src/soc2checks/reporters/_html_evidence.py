"""A finding's evidence as the HTML report shows it: where it was read, then its fields.

Evidence of the ``files`` provider that names a file (``path``, and ``line`` for a row
of a record export or a register) opens with that place,
``compliance/records/personnel.csv, line 4`` for a record or the document's path for a
policy; the other fields follow as a labelled list
(``approved_by`` reads "Approved by", ``True`` reads "yes", a list is comma-separated,
an empty one reads "none"). A flat mapping (a record's ``row``) is a nested list;
anything deeper is shown as indented JSON. Keys are sorted, so the page is
deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from soc2checks.reporters._common import to_jsonable, visible


def _esc(value: object) -> str:
    return escape(visible(str(value)), quote=True)


def _label(key: str) -> str:
    """``approved_by`` -> ``Approved by``; ``last-reviewed`` -> ``Last reviewed``."""
    text = key.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else key


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _text(value: Any) -> str:
    if value is None:
        return '<span class="muted">none</span>'
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _esc(value)


def _value(value: Any) -> str:
    if _scalar(value):
        return _text(value)
    if isinstance(value, list) and all(_scalar(v) for v in value):
        if not value:
            return '<span class="muted">none</span>'
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict) and value and all(_scalar(v) for v in value.values()):
        return _fields(value)
    return f"<pre>{_esc(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False))}</pre>"


def _fields(data: Mapping[str, Any]) -> str:
    rows = "".join(f"<dt>{_esc(_label(k))}</dt><dd>{_value(data[k])}</dd>" for k in sorted(data))
    return f'<dl class="evidence">{rows}</dl>'


def _source(data: dict[str, Any]) -> str:
    """``Record: <file>, line N`` or ``Document: <file>``; takes the keys it shows."""
    path = data.get("path")
    if not isinstance(path, str) or not path:
        return ""
    del data["path"]
    line = data.get("line")
    if isinstance(line, int) and not isinstance(line, bool):
        del data["line"]
        return f'<div class="source">Record: <code>{_esc(path)}</code>, line {line}</div>'
    return f'<div class="source">Document: <code>{_esc(path)}</code></div>'


def evidence_html(evidence: Mapping[str, Any], provider: str = "") -> str:
    """The ``Evidence`` block of one finding (empty evidence: an empty string).

    Only the ``files`` provider's ``path`` is a file of the compliance folder (an IAM
    user's ``path`` is not), so only its findings open with the source line.
    """
    if not evidence:
        return ""
    data = to_jsonable(evidence)
    assert isinstance(data, dict)
    parts = ["<div>Evidence</div>", _source(data) if provider == "files" else ""]
    if data:
        parts.append(_fields(data))
    return "".join(parts)
