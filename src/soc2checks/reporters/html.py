"""One self-contained HTML page: inline CSS, no external resources, works without JS.

The page shows the run, the summary, one flat table of every control, then a section
per Trust Services Criterion with its findings (failures and errors first) and their
evidence. A few lines of inline JavaScript add status filter buttons; without
JavaScript every finding is simply shown. Every value from a finding is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from soc2checks._model import Finding, Status
from soc2checks.reporters._common import (
    UNMAPPED,
    counts,
    counts_phrase,
    criterion_sort_key,
    dumps_evidence,
    group_by_control,
    group_by_criterion,
    overall_status,
    scope_label,
    summary_line,
    utc_iso,
    visible,
    waiver_text,
)
from soc2checks.reporters._common import criterion_titles as catalog_titles

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import RunResult

_CSS = """
:root{--fail:#b42318;--error:#a15c07;--waived:#1d5fa8;--skip:#667085;--pass:#067647;
--bg:#fff;--fg:#101828;--muted:#475467;--line:#eaecf0}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
h3{font-size:15px;margin:0}
.muted{color:var(--muted)}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:92px}
.tile b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
pre{background:#f9fafb;border:1px solid var(--line);border-radius:6px;padding:8px;
overflow:auto;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;
font-weight:600;color:#fff;text-transform:uppercase}
.s-fail{background:var(--fail)}.s-error{background:var(--error)}
.s-waived{background:var(--waived)}.s-skip{background:var(--skip)}.s-pass{background:var(--pass)}
section.criterion{border:1px solid var(--line);border-radius:8px;margin:12px 0;padding:0}
section.criterion>details>summary{padding:10px 12px;cursor:pointer;list-style:none}
section.criterion>details>summary::-webkit-details-marker{display:none}
.finding{border-top:1px solid var(--line);padding:8px 12px}
.finding .msg{margin:4px 0;white-space:pre-wrap}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:4px 0}
.finding dt{color:var(--muted)}.finding dd{margin:0}
#filters button{margin-right:6px;border:1px solid var(--line);background:#fff;
border-radius:6px;padding:3px 10px;cursor:pointer}
#filters button[aria-pressed=true]{background:var(--fg);color:#fff}
body.only-problems .finding:not(.st-fail):not(.st-error){display:none}
"""

_JS = """
(function(){var f=document.getElementById('filters');f.hidden=false;
var b=f.querySelectorAll('button');b.forEach(function(x){x.addEventListener('click',function(){
b.forEach(function(y){y.setAttribute('aria-pressed','false')});
x.setAttribute('aria-pressed','true');
document.body.classList.toggle('only-problems',x.dataset.show==='problems');});});})();
"""


def esc(value: object) -> str:
    """HTML-escape ``value`` (quotes too, so it is safe in attributes)."""
    return html.escape(visible(str(value)), quote=True)


def _badge(status: Status) -> str:
    return f'<span class="badge s-{status.value}">{status.value}</span>'


def render(
    result: RunResult,
    config: Config | None = None,
    *,
    title: str = "soc2checks report",
    criterion_titles: Mapping[str, str] | None = None,
    check_titles: Mapping[str, str] | None = None,
    verbose: bool = True,
    **options: Any,
) -> str:
    """The HTML page.

    :param title: page title and first heading.
    :param criterion_titles: criterion ID -> title, overriding the shipped catalog.
    :param check_titles: check ID -> one-line title shown with each finding.
    :param verbose: include passing findings (default); ``False`` counts them only.
    """
    findings = list(result.findings)
    total = counts(findings)
    ctitles = catalog_titles(criterion_titles)
    ctitles.setdefault(UNMAPPED, "checks mapped to no criterion")
    chtitles = dict(check_titles or {})
    owners: Mapping[str, str] = config.data.owners if config is not None else {}
    run = result.run
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="muted">Run <code>{esc(run.id)}</code>, {esc(utc_iso(run.started_at))} to '
        f"{esc(utc_iso(run.finished_at))}, soc2checks {esc(run.tool_version)}"
        + (f", config <code>{esc(run.config_digest)}</code>" if run.config_digest else "")
        + "</p>",
    ]
    for warning in run.warnings:
        out.append(f'<p class="warning"><strong>Warning:</strong> {esc(warning)}</p>')
    out.append(f'<p id="summary-line">{esc(summary_line(total))}</p>')
    out.append('<div class="tiles">')
    for status in (Status.FAIL, Status.ERROR, Status.WAIVED, Status.SKIP, Status.PASS):
        out.append(f'<div class="tile"><b>{total[status.value]}</b>{_badge(status)}</div>')
    out.append("</div>")

    out.append("<h2>Controls</h2>")
    out.append(
        "<table><thead><tr><th>Control</th><th>Criteria</th><th>Owner</th><th>Status</th>"
        '<th class="n">Pass</th><th class="n">Fail</th><th class="n">Error</th>'
        '<th class="n">Skip</th><th class="n">Waived</th></tr></thead><tbody>'
    )
    for control_id, group in group_by_control(findings):
        c = counts(group)
        criteria = sorted({cid for f in group for cid in f.criteria}, key=criterion_sort_key)
        cells = "".join(
            f'<td class="n">{c[s]}</td>' for s in ("pass", "fail", "error", "skip", "waived")
        )
        out.append(
            f"<tr><td><code>{esc(control_id or '(none)')}</code></td>"
            f"<td>{esc(', '.join(criteria))}</td><td>{esc(owners.get(control_id, ''))}</td>"
            f"<td>{_badge(overall_status(group))}</td>{cells}</tr>"
        )
    out.append("</tbody></table>")

    out.append("<h2>Findings by criterion</h2>")
    out.append(
        '<p id="filters" hidden><button type="button" data-show="all" aria-pressed="true">'
        'All</button><button type="button" data-show="problems" aria-pressed="false">'
        "Failures and errors only</button></p>"
    )
    groups = group_by_criterion(findings)
    if not groups:
        out.append("<p>No findings.</p>")
    for cid, group in groups:
        c = counts(group)
        worst = overall_status(group)
        is_open = " open" if worst in (Status.FAIL, Status.ERROR) else ""
        name = ctitles.get(cid, "")
        out.append(f'<section class="criterion" id="{esc(_anchor(cid))}"><details{is_open}>')
        out.append(
            f'<summary>{_badge(worst)} <h3 style="display:inline">{esc(cid)}'
            + (f" {esc(name)}" if name else "")
            + f'</h3> <span class="muted">{esc(counts_phrase(c))}</span></summary>'
        )
        for f in group:
            if f.status is Status.PASS and not verbose:
                continue
            out.append(_finding(f, chtitles))
        if c["pass"] and not verbose:
            noun = "finding" if c["pass"] == 1 else "findings"
            out.append(f'<div class="finding muted">{c["pass"]} passing {noun} not listed</div>')
        out.append("</details></section>")

    out.append(f"<script>{_JS}</script>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def _anchor(cid: str) -> str:
    return "crit-" + "".join(ch if ch.isalnum() else "-" for ch in cid)


def _finding(f: Finding, titles: Mapping[str, str]) -> str:
    rows: list[tuple[str, str]] = [
        ("Control", f"<code>{esc(f.control_id)}</code>" if f.control_id else ""),
        ("Criteria", esc(", ".join(f.criteria))),
        ("Severity", esc(f.severity.value)),
        ("Provider", esc(f.provider)),
        ("Scope", esc(scope_label(f.scope))),
        ("Resource type", esc(f.resource_type)),
        ("Remediation", esc(f.remediation) if f.status is not Status.PASS else ""),
        ("Waiver", esc(waiver_text(f))),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    parts = [
        f'<div class="finding st-{f.status.value}">',
        f"{_badge(f.status)} <code>{esc(f.check_id)}</code>"
        + (f" on <code>{esc(f.resource_id)}</code>" if f.resource_id else ""),
    ]
    if titles.get(f.check_id):
        parts.append(f'<div class="muted">{esc(titles[f.check_id])}</div>')
    if f.message:
        parts.append(f'<div class="msg">{esc(f.message)}</div>')
    parts.append(f"<dl>{dl}</dl>")
    if f.evidence:
        open_attr = " open" if f.status in (Status.FAIL, Status.ERROR) else ""
        parts.append(
            f"<details{open_attr}><summary>Evidence</summary>"
            f"<pre>{esc(dumps_evidence(f.evidence))}</pre></details>"
        )
    parts.append("</div>")
    return "".join(parts)
