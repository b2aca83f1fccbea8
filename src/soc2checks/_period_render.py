"""The period report (``soc2checks/period-report/v1``) as Markdown or a self-contained HTML page.

Both renderers read only the JSON document, so what people read is what the contract says.
Every value from the store is escaped (Markdown table cells, HTML entities).
"""

from __future__ import annotations

import html
from typing import Any


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days}d{hours:02d}h" if days else f"{hours}h{rest // 60:02d}m"


def _sections(doc: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], str]]:
    """(title, headers, rows, text when there are no rows) for each table of the report."""
    controls = [
        [
            c["control_id"],
            ", ".join(c["criteria"]),
            str(c["runs"]),
            "-" if c["pass_rate"] is None else f"{100 * c['pass_rate']:.1f}%",
            str(c["deviations"]),
            str(c["open_deviations"]),
            str(c["sla_breaches"]),
            str(c["errors"]),
        ]
        for c in doc["controls"]
    ]
    deviations = [
        [
            d["check_id"],
            d["resource_id"],
            d["first_failed_at"][:19],
            (d["resolved_at"] or "open")[:19],
            _duration(d["time_open_seconds"]),
            "BREACHED" if d["sla_breached"] else ("ok" if d["sla_seconds"] else "-"),
        ]
        for d in doc["deviations"]
    ]
    gaps = doc["gaps"]
    gap_rows = [
        [g["start"][:19], g["end"][:19], _duration(g["duration_seconds"])] for g in gaps or []
    ]
    gap_empty = "Not checked (set [store] expected_interval)." if gaps is None else "None."
    return [
        (
            "Controls",
            ["Control", "Criteria", "Runs", "Pass rate", "Deviations", "Open", "SLA breaches",
             "Errors"],
            controls,
            "No complete runs in the period.",
        ),
        (
            "Deviations",
            ["Check", "Resource", "First failed", "Resolved", "Open for", "SLA"],
            deviations,
            "None.",
        ),
        ("Gaps without a complete run", ["From", "To", "Length"], gap_rows, gap_empty),
    ]


def _summary(doc: dict[str, Any]) -> list[str]:
    runs = doc["runs"]
    lines = [
        f"Period {doc['period']['start']} .. {doc['period']['end']}: {runs['total']} run(s), "
        f"{runs['complete']} complete, {len(runs['not_complete'])} not complete, "
        f"{runs['imported']} imported."
    ]
    if runs["imported_note"]:
        lines.append(f"Note: {runs['imported_note']}")
    return lines


def _md_cell(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
    )


def to_markdown(doc: dict[str, Any]) -> str:
    """The report as GitHub-flavoured Markdown."""
    out = ["# Operating effectiveness report", ""]
    out += [_md_cell(line) for line in _summary(doc)]
    for title, headers, rows, empty in _sections(doc):
        out += ["", f"## {title}", ""]
        if not rows:
            out.append(empty)
            continue
        out.append("| " + " | ".join(headers) + " |")
        out.append("|" + "|".join("---" for _ in headers) + "|")
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}"
    "th{background:#f3f3f3}"
)


def to_html(doc: dict[str, Any]) -> str:
    """The report as one self-contained HTML page (inline CSS, no scripts, no external links)."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Operating effectiveness report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Operating effectiveness report</h1>",
    ]
    out += [f"<p>{e(line)}</p>" for line in _summary(doc)]
    for title, headers, rows, empty in _sections(doc):
        out.append(f"<h2>{e(title)}</h2>")
        if not rows:
            out.append(f"<p>{e(empty)}</p>")
            continue
        out.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers))
        out.append("</tr></thead><tbody>")
        out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows]
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
