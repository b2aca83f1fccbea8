"""``soc2checks diff OLD.json NEW.json``: what changed between two findings documents.

Exit codes: 0 nothing regressed; 1 new failures or new errors in NEW; 2 a file is
missing or not a ``soc2checks/findings/v1`` document.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from soc2checks._compare import Comparison, compare

EXIT_OK, EXIT_REGRESSED = 0, 1

DIFF_SCHEMA = "soc2checks/diff/v1"

_TITLES = {
    "new_failures": "New failures",
    "new_errors": "New errors (could not judge)",
    "still_failing": "Still failing",
    "gone": "No longer judged (failing or erroring before, absent now)",
    "newly_waived": "Waived now (failing before)",
    "fixed": "Fixed",
    "cleared_errors": "Errors cleared (judged again)",
}

HELP_EPILOG = """exit codes:
  0  no new failures and no new errors in NEW
  1  NEW has failures or errors that OLD did not have
  2  a file is missing or is not a soc2checks findings JSON document
"""


def add_parser(sub: Any) -> None:
    """Add the ``diff`` subcommand to the CLI's subparsers."""
    p = sub.add_parser(
        "diff",
        help="compare two findings JSON documents: new failures, fixed, still failing",
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("old", metavar="OLD.json", help="the earlier run's `--format json` output")
    p.add_argument("new", metavar="NEW.json", help="the later run's `--format json` output")
    p.add_argument("--format", "-f", dest="diff_format", choices=["table", "json"], default="table")
    p.add_argument("--debug", action="store_true", help="show tracebacks for errors")


def run(args: argparse.Namespace) -> int:
    """Run ``diff``; returns the exit code."""
    old, new = _load(args.old), _load(args.new)
    comparison = compare(old, new)
    if args.diff_format == "json":
        sys.stdout.write(render_json(comparison, old_run=old.run.id, new_run=new.run.id))
    else:
        sys.stdout.write(render_table(comparison))
    return EXIT_REGRESSED if comparison.regressed else EXIT_OK


def _load(path: str) -> Any:
    from soc2checks._errors import UsageError
    from soc2checks.reporters import load_findings_json

    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    return load_findings_json(text, source=path)


def render_table(c: Comparison) -> str:
    """Sections worst first, one line per finding; a summary line last."""
    from soc2checks.reporters._common import scope_label, visible

    lines: list[str] = []
    for name, title in _TITLES.items():
        group = getattr(c, name)
        if not group:
            continue
        lines.append(f"{title} ({len(group)})")
        for f in group:
            where = f.resource_id or scope_label(f.scope) or "(run)"
            scope = f"  ({scope_label(f.scope)})" if f.scope and f.resource_id else ""
            lines.append(visible(f"  {f.status.value.upper():<7} {f.check_id}  {where}{scope}"))
            if f.message and name in ("new_failures", "new_errors", "still_failing"):
                lines.append(visible("          " + f.message.splitlines()[0]))
        lines.append("")
    n = c.counts()
    lines.append(
        f"soc2checks diff: {n['new_failures']} new failing, {n['new_errors']} new erroring, "
        f"{n['still_failing']} still failing, {n['fixed']} fixed, "
        f"{n['cleared_errors']} errors cleared, {n['gone']} no longer judged"
    )
    return "\n".join(lines) + "\n"


def render_json(c: Comparison, *, old_run: str, new_run: str) -> str:
    """``soc2checks/diff/v1``: counts and each group's findings as findings-v1 objects."""
    from soc2checks.reporters.json import finding_to_dict

    doc: dict[str, Any] = {
        "schema": DIFF_SCHEMA,
        "old_run": old_run,
        "new_run": new_run,
        "regressed": c.regressed,
        "summary": c.counts(),
    }
    for name in c.counts():
        doc[name] = [finding_to_dict(f) for f in getattr(c, name)]
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
