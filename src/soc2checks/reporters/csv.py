"""``csv``: one row per finding, for spreadsheets.

The columns are the findings JSON document's field names, in its order:
``check_id, control_id, criteria, status, severity, provider, scope, resource_id,
resource_type, message, evidence, remediation, waiver``. ``criteria`` is a
comma-separated list (``CC6.1, CC6.2``), ``scope`` reads ``account=1, region=x``
(keys sorted), ``evidence`` and ``waiver`` are compact JSON (``waiver`` empty when
there is none). RFC 4180: a header row, comma-separated, CRLF line ends, fields with
commas, quotes or newlines quoted.

Spreadsheet formula injection is neutralised: a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'`` so Excel, LibreOffice and
Google Sheets show it as text instead of evaluating it (an IAM user named
``=HYPERLINK(...)`` stays a name). Streamed while the run goes from the command line,
like ``jsonl``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any, TextIO

from soc2checks.reporters._common import scope_label, sorted_findings
from soc2checks.reporters._stream import StreamingReporter
from soc2checks.reporters.json import finding_to_dict

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import Finding, RunResult

COLUMNS = (
    "check_id",
    "control_id",
    "criteria",
    "status",
    "severity",
    "provider",
    "scope",
    "resource_id",
    "resource_type",
    "message",
    "evidence",
    "remediation",
    "waiver",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text``, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def row(f: Finding) -> list[str]:
    """The cells of one finding, in :data:`COLUMNS` order, already neutralised."""
    d = finding_to_dict(f)
    cells: dict[str, str] = {k: str(v) for k, v in d.items() if isinstance(v, str)}
    cells["criteria"] = ", ".join(d["criteria"])
    cells["scope"] = scope_label(d["scope"])
    cells["evidence"] = _compact(d["evidence"]) if d["evidence"] else ""
    cells["waiver"] = _compact(d["waiver"]) if d["waiver"] is not None else ""
    return [safe_cell(cells[c]) for c in COLUMNS]


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _render(result: RunResult, config: Config | None = None, **options: Any) -> str:
    """A header row, then one row per finding in the documented order."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    w.writerows(row(f) for f in sorted_findings(result.findings))
    return buf.getvalue()


class _Stream:
    def __init__(self, out: TextIO, config: Config | None = None, **options: Any) -> None:
        self._out = out
        self._writer = csv.writer(out)
        self._writer.writerow(COLUMNS)

    def write(self, finding: Finding) -> None:
        self._writer.writerow(row(finding))

    def finish(self, result: RunResult) -> None:
        self._out.flush()


#: The ``csv`` reporter: whole text from a result, or streamed while the run goes.
render = StreamingReporter(_render, _Stream)
