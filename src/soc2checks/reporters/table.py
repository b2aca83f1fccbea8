"""A readable terminal report, grouped by Trust Services Criterion.

Each criterion gets a header line with its title and counts; under it, failures and
errors first, then waived and skipped findings; passes are one count line unless
``verbose``. A finding mapped to several criteria appears under each. The last line
is the summary (``soc2checks: 7 findings (3 pass, 1 fail, ...)``).

When one error message is shared by several checks of one scope (no credentials, a
scope that cannot be listed), it is printed once at the top as a numbered cause with
its count, and under each criterion those checks take one line that refers to it.
After a run with a baseline, failures and errors not in the baseline carry the marker
``new`` between status and severity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from soc2checks._model import Finding, Status
from soc2checks.reporters._common import (
    UNMAPPED,
    counts,
    counts_phrase,
    group_by_criterion,
    one_line,
    scope_label,
    shared_causes,
    summary_line,
    visible,
    waiver_text,
)
from soc2checks.reporters._common import criterion_titles as catalog_titles

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import RunResult

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_COLOURS: dict[Status, str] = {
    Status.FAIL: "\x1b[1;31m",
    Status.ERROR: "\x1b[1;35m",
    Status.WAIVED: "\x1b[36m",
    Status.SKIP: "\x1b[33m",
    Status.PASS: "\x1b[32m",
}
_LABEL_WIDTH = max(len(s.value) for s in Status)


def render(
    result: RunResult,
    config: Config | None = None,
    *,
    color: bool = False,
    verbose: bool = False,
    failures_only: bool = False,
    criterion_titles: Mapping[str, str] | None = None,
    **options: Any,
) -> str:
    """The terminal table.

    :param color: add ANSI colours (only when asked; the CLI passes ``isatty()``).
    :param verbose: list passing findings one by one instead of counting them.
    :param failures_only: show only failures and errors (and the criteria that have
        them); the summary line still counts everything.
    :param criterion_titles: criterion ID -> title, overriding the shipped catalog.
    """
    titles = _titles(criterion_titles)

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    causes = shared_causes(result.findings)
    cause_of = {id(f): i for i, c in enumerate(causes, 1) for f in c.findings}
    new = {(f.status, f.fingerprint()) for f in [*result.regressions, *result.new_errors]}
    marks = _Marks(paint, new, width=len(_NEW) if new else 0)

    lines: list[str] = []
    if causes:
        lines.append(paint("Errors with one cause, shown once:", _BOLD))
        for i, cause in enumerate(causes, 1):
            lines.append(f"  [{i}] {cause.headline()}")
    for cid, group in group_by_criterion(result.findings):
        if failures_only:
            group = [f for f in group if f.status in (Status.FAIL, Status.ERROR)]
            if not group:
                continue
        c = counts(group)
        title = titles.get(cid, "")
        header = one_line(f"{cid}  {title}" if title else cid)
        if lines:
            lines.append("")
        lines.append(f"{paint(header, _BOLD)}  [{counts_phrase(c)}]")
        shown: set[int] = set()
        for f in group:
            if f.status is Status.PASS and not verbose:
                continue
            n = cause_of.get(id(f))
            if n is None:
                lines.extend(_finding_lines(f, marks))
            elif n not in shown:
                shown.add(n)
                same = [g for g in group if cause_of.get(id(g)) == n]
                lines.append(_cause_line(n, same, marks))
        if c["pass"] and not verbose:
            noun = "finding" if c["pass"] == 1 else "findings"
            lines.append(
                paint(f"  {c['pass']} passing {noun} not listed (verbose lists them)", _DIM)
            )
    if not lines:
        lines.append("no failures or errors" if failures_only else "no findings")
    lines.append("")
    if new:
        lines.append(
            f"{len(new)} of the failures and errors are not in the baseline (marked {_NEW})"
        )
    lines.append(summary_line(counts(result.findings)))
    return "\n".join(lines) + "\n"


_NEW = "new"


class _Marks:
    """Paints status labels and the ``new`` column (present only after a baseline diff)."""

    def __init__(self, paint: Any, new: set[tuple[Status, Any]], width: int) -> None:
        self.paint, self.new, self.width = paint, new, width

    def label(self, f: Finding) -> str:
        text = self.paint(f.status.value.upper().ljust(_LABEL_WIDTH), _COLOURS[f.status])
        if self.width:
            text += "  " + (_NEW if (f.status, f.fingerprint()) in self.new else "").ljust(
                self.width
            )
        return str(text)

    @property
    def indent(self) -> str:
        return " " * (4 + _LABEL_WIDTH + (self.width + 2 if self.width else 0))


def _cause_line(n: int, same: list[Finding], marks: _Marks) -> str:
    ids = sorted({f.check_id for f in same})
    noun = "check" if len(ids) == 1 else "checks"
    scope = scope_label(same[0].scope)
    where = f"  ({scope})" if scope else ""
    return f"  {marks.label(same[0])}  {len(ids)} {noun}{where}: cause [{n}] above: " + ", ".join(
        ids
    )


def _titles(explicit: Mapping[str, str] | None) -> dict[str, str]:
    titles = catalog_titles(explicit)
    titles.setdefault(UNMAPPED, "checks mapped to no criterion")
    return titles


def _finding_lines(f: Finding, marks: _Marks) -> list[str]:
    where = one_line(f.resource_id) or "-"
    scope = one_line(scope_label(f.scope))
    head = f"  {marks.label(f)}  {f.severity.value:<8}  {one_line(f.check_id)}  {where}"
    if scope:
        head += f"  ({scope})"
    out = [head]
    detail = waiver_text(f) if f.status is Status.WAIVED else ""
    for text in (f.message, detail):
        for line in _one_line(text):
            out.append(f"{marks.indent}{line}")
    return out


def _one_line(text: str) -> list[str]:
    """Message lines with control characters (other than newlines) made visible."""
    if not text:
        return []
    return [line for line in visible(text).splitlines() if line.strip()]
