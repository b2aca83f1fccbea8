"""``jsonl``: one finding per line, written while the run goes.

Each line is one finding object of the findings JSON document
(``soc2checks/findings/v1``: ``check_id``, ``control_id``, ``criteria``, ``status``,
...), keys sorted, no indent. From the command line the lines are written as
findings are made, in the order they are made, so a run of any size never holds its
output in memory; rendered from a finished result (:func:`render`) they come in the
documented finding order. There is no header or trailer line: ``wc -l`` counts
findings, and ``sort`` makes two streamed files comparable.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from soc2checks.reporters._common import sorted_findings
from soc2checks.reporters._stream import StreamingReporter
from soc2checks.reporters.json import finding_to_dict

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import Finding, RunResult


def line(f: Finding) -> str:
    """One finding as one line of JSON (with its newline)."""
    return json.dumps(finding_to_dict(f), sort_keys=True, ensure_ascii=False) + "\n"


def _render(result: RunResult, config: Config | None = None, **options: Any) -> str:
    """Every finding, one JSON object per line, in the documented order."""
    return "".join(line(f) for f in sorted_findings(result.findings))


class _Stream:
    def __init__(self, out: TextIO, config: Config | None = None, **options: Any) -> None:
        self._out = out

    def write(self, finding: Finding) -> None:
        self._out.write(line(finding))

    def finish(self, result: RunResult) -> None:
        self._out.flush()


#: The ``jsonl`` reporter: whole text from a result, or streamed while the run goes.
render = StreamingReporter(_render, _Stream)
