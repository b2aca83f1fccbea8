"""The built-in output formats.

Every reporter is a function ``render(result, config=None, **options) -> str`` that
turns a finished :class:`~soc2checks.RunResult` into text; options a reporter does
not know are ignored, so a caller may pass the same options to every format.

=========== ==================================================================
name        what it writes
=========== ==================================================================
table       terminal report grouped by criterion (``color``, ``verbose``,
            ``failures_only``, ``criterion_titles``)
json        the stable findings document ``soc2checks/findings/v1``
jsonl       one finding per line, the JSON document's field names (streamed)
csv         one row per finding for spreadsheets, formulas neutralised
            (streamed)
markdown    summary, flat control table, failures with evidence (``limit``)
junit       JUnit XML: a suite per control, a test case per finding
sarif       SARIF 2.1.0: a rule per check, results for failures and errors
            (``artifact_uri``, ``check_titles``)
html        the auditor's self-contained page (``title``, ``organization``,
            ``system``, ``period``, ``categories``, ``verbose``, titles)
ocsf        OCSF 1.5.0 Compliance Finding events, a JSON array
ocsf-jsonl  the same events, one per line (streamed)
oscal       NIST OSCAL assessment-results (needs ``soc2checks[oscal]``)
oscal-plan  the minimal OSCAL assessment plan those results import
=========== ==================================================================

A reporter may also stream: :class:`StreamingReporter` builds one from a ``render``
function and a stream class (``start(out, config)`` returns a :class:`FindingStream`
with ``write(finding)`` and ``finish(result)``).

Plugins add formats through the ``soc2checks_register_reporters`` hook.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from soc2checks.reporters import (
    csv,
    html,
    json,
    jsonl,
    junit,
    markdown,
    ocsf,
    oscal,
    sarif,
    table,
)
from soc2checks.reporters._stream import FindingStream, StreamingReporter
from soc2checks.reporters.json import FindingsFormatError, load_findings_json

#: Name -> render function of every format that ships with soc2checks.
BUILTIN_REPORTERS: dict[str, Callable[..., str]] = {
    "table": table.render,
    "json": json.render,
    "markdown": markdown.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "html": html.render,
    "ocsf": ocsf.render,
    "ocsf-jsonl": ocsf.render_jsonl_streaming,
    "jsonl": jsonl.render,
    "csv": csv.render,
    "oscal": oscal.render,
    "oscal-plan": oscal.render_plan,
}


def report_options(registry: Any, categories: Sequence[str] | None = None) -> dict[str, Any]:
    """Options every reporter is given by the command line: titles from the registry.

    ``check_titles`` and ``control_titles`` (ID -> one-line title) of every loaded
    check and control, and ``categories`` when the run selected some.
    """
    opts: dict[str, Any] = {
        "check_titles": {cid: c.spec.title for cid, c in sorted(registry.checks.items())},
        "control_titles": {cid: c.title for cid, c in sorted(registry.controls.items())},
    }
    if categories:
        opts["categories"] = list(categories)
    return opts


__all__ = [
    "BUILTIN_REPORTERS",
    "FindingStream",
    "FindingsFormatError",
    "StreamingReporter",
    "load_findings_json",
    "report_options",
]
