"""A Markdown report for a pull-request comment or an auditor's folder.

Sections: the summary; one flat table of every control with its status counts (and
owner, from the config); then every failure and error with its message, remediation
and evidence; then the waived findings with their waivers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from soc2checks._model import Finding, Status
from soc2checks.reporters._common import (
    counts,
    criterion_sort_key,
    dumps_evidence,
    group_by_control,
    overall_status,
    scope_label,
    summary_line,
    utc_iso,
    visible,
    worst_first,
)

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import RunResult

_ICONS: dict[Status, str] = {
    Status.FAIL: "❌ fail",
    Status.ERROR: "⚠️ error",
    Status.WAIVED: "📝 waived",
    Status.SKIP: "⏭️ skip",
    Status.PASS: "✅ pass",
}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_text(text: str) -> str:
    """Inline text with Markdown and HTML specials escaped, on one line."""
    text = visible(text).replace("&", "&amp;")
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def md_cell(text: str) -> str:
    """Text for a table cell (no pipes or newlines can break the row)."""
    return md_text(text) or " "


def md_code(text: str, *, in_table: bool = False) -> str:
    """Inline code span that survives backticks (and, in a table cell, pipes)."""
    text = " ".join(visible(text).split())
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    code = f"{fence}{pad}{text}{pad}{fence}"
    return code.replace("|", "\\|") if in_table else code


def _fenced(text: str, lang: str = "") -> str:
    text = visible(text)
    run = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (run + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def render(
    result: RunResult,
    config: Config | None = None,
    *,
    title: str = "soc2checks report",
    limit: int | None = None,
    check_titles: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
    **options: Any,
) -> str:
    """The Markdown report.

    :param title: the first heading.
    :param limit: show at most this many failures and errors in detail (GitHub caps a
        comment at 65,536 characters); the rest are counted. ``None`` shows all.
    :param check_titles: check ID -> one-line title, shown with each failure.
    :param max_bytes: the CI step-summary layout: failures and errors come right
        after the headline, then the controls and waivers, and whole lines are left
        out (and counted) so the UTF-8 text stays under this many bytes (GitHub's
        step summary allows 1 MiB).
    """
    if max_bytes is not None:
        return _fit(
            render(result, config, title=title, limit=limit, check_titles=check_titles),
            max_bytes,
        )
    findings = list(result.findings)
    total = counts(findings)
    owners: Mapping[str, str] = config.data.owners if config is not None else {}
    titles = dict(check_titles or {})
    out: list[str] = [f"# {md_text(title)}", ""]

    worst = overall_status(findings)
    out.append(f"**{_ICONS[worst]}**: {md_text(summary_line(total))}")
    out.append("")
    run = result.run
    out.append(
        f"Run {md_code(run.id)} finished {utc_iso(run.finished_at)} "
        f"with soc2checks {md_text(run.tool_version)}."
    )
    for warning in run.warnings:
        out.append(f"\n> **Warning:** {md_text(warning)}")
    out.append("")

    out.append("## Controls")
    out.append("")
    if findings:
        out.append("| Control | Criteria | Owner | Status | Pass | Fail | Error | Skip | Waived |")
        out.append("|---|---|---|---|--:|--:|--:|--:|--:|")
        for control_id, group in group_by_control(findings):
            c = counts(group)
            criteria = sorted({cid for f in group for cid in f.criteria}, key=criterion_sort_key)
            out.append(
                "| "
                + " | ".join(
                    [
                        md_code(control_id, in_table=True) if control_id else "(none)",
                        md_cell(", ".join(criteria)),
                        md_cell(owners.get(control_id, "")),
                        _ICONS[overall_status(group)],
                        *(str(c[s]) for s in ("pass", "fail", "error", "skip", "waived")),
                    ]
                )
                + " |"
            )
    else:
        out.append("No findings.")
    out.append("")

    problems = [f for f in worst_first(findings) if f.status in (Status.FAIL, Status.ERROR)]
    out.append("## Failures and errors")
    out.append("")
    if not problems:
        out.append("None.")
        out.append("")
    shown = problems if limit is None else problems[: max(limit, 0)]
    for f in shown:
        out.extend(_detail(f, titles))
    if len(shown) < len(problems):
        more = len(problems) - len(shown)
        out.append(f"…and {more} more (see the full JSON or HTML report).")
        out.append("")

    waived = [f for f in worst_first(findings) if f.status is Status.WAIVED]
    if waived:
        out.append("## Waived")
        out.append("")
        out.append("| Check | Resource | Justification | Approved by | Expires |")
        out.append("|---|---|---|---|---|")
        for f in waived:
            w = f.waiver
            out.append(
                "| "
                + " | ".join(
                    [
                        md_code(f.check_id, in_table=True),
                        md_code(f.resource_id, in_table=True) if f.resource_id else " ",
                        md_cell(w.justification if w else ""),
                        md_cell(w.approved_by if w else ""),
                        str(w.expires) if w else " ",
                    ]
                )
                + " |"
            )
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _detail(f: Finding, titles: Mapping[str, str]) -> list[str]:
    where = f" on {md_code(f.resource_id)}" if f.resource_id else ""
    out = [f"### {_ICONS[f.status]}: {md_code(f.check_id)}{where}", ""]
    if titles.get(f.check_id):
        out.append(f"*{md_text(titles[f.check_id])}*")
        out.append("")
    facts = [
        f"- **Control:** {md_code(f.control_id)}" if f.control_id else "",
        f"- **Criteria:** {md_text(', '.join(f.criteria))}" if f.criteria else "",
        f"- **Severity:** {f.severity.value}",
        f"- **Provider:** {md_text(f.provider)}" if f.provider else "",
        f"- **Scope:** {md_text(scope_label(f.scope))}" if f.scope else "",
        f"- **Resource type:** {md_text(f.resource_type)}" if f.resource_type else "",
        f"- **Message:** {md_text(f.message)}" if f.message else "",
        f"- **Remediation:** {md_text(f.remediation)}" if f.remediation else "",
    ]
    out.extend(line for line in facts if line)
    out.append("")
    if f.evidence:
        out.append("<details><summary>Evidence</summary>")
        out.append("")
        out.append(_fenced(dumps_evidence(f.evidence), "json"))
        out.append("")
        out.append("</details>")
        out.append("")
    return out


_CUT = "\n…cut to fit the size limit (see the full JSON or HTML report).\n"


def _fit(text: str, max_bytes: int) -> str:
    """``text`` with its failures section first and whole lines dropped past the budget."""
    head, sep, rest = text.partition("\n## Controls\n")
    controls, sep2, tail = rest.partition("\n## Failures and errors\n")
    if sep and sep2:
        problems, sep3, waived = tail.partition("\n## Waived\n")
        parts = [head, "\n## Failures and errors\n" + problems, "\n## Controls\n" + controls]
        if sep3:
            parts.append("\n## Waived\n" + waived)
        text = "\n".join(p.rstrip("\n") for p in parts) + "\n"
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    budget = max_bytes - len(_CUT.encode("utf-8"))
    out: list[str] = []
    used = 0
    for line in text.splitlines(keepends=True):
        size = len(line.encode("utf-8"))
        if used + size > budget:
            break
        out.append(line)
        used += size
    return "".join(out) + _CUT
