"""The auditor's HTML report: one self-contained page (inline CSS and JS, works offline).

Sections, each in the table of contents: summary; readiness of every criterion in the
run's categories (covered by automated checks, documents, records or nothing, and how
it fares); findings per status and category as a chart; controls with titles and
owners; failures and errors, then waived, skipped and (collapsed, counted) passing
findings, each finding once with its criteria, evidence and, where something failed,
remediation; waivers; run details. Filters by status, provider, control, criterion
and free text need JavaScript; without it everything is shown. Every value from the
estate is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from soc2checks._model import Finding, Status
from soc2checks.reporters._common import (
    STATUS_RANK,
    counts,
    criterion_sort_key,
    dumps_evidence,
    group_by_control,
    overall_status,
    scope_label,
    summary_line,
    utc_iso,
    visible,
    waiver_text,
    worst_first,
)
from soc2checks.reporters._common import criterion_titles as catalog_titles
from soc2checks.reporters._html_assets import CSS, JS
from soc2checks.reporters._html_evidence import evidence_html
from soc2checks.reporters._readiness import categories_for, chart, readiness

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import RunResult

_ORDER = (Status.FAIL, Status.ERROR, Status.WAIVED, Status.SKIP, Status.PASS)


def esc(value: object) -> str:
    """HTML-escape ``value`` (quotes too, so it is safe in attributes)."""
    return html.escape(visible(str(value)), quote=True)


def _badge(status: Status | None) -> str:
    """A coloured status label; ``None``: no evidence at all."""
    if status is None:
        return '<span class="badge s-none">no evidence</span>'
    return f'<span class="badge s-{status.value}">{status.value}</span>'


def _setting(name: str, options: Mapping[str, Any], config: Config | None) -> str:
    value = options.get(name)
    if value is None and config is not None:
        report = getattr(config.data, "report", None)
        value = getattr(report, name, None) if report is not None else None
    return str(value) if value else ""


def _when(value: dt.datetime) -> str:
    value = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    u = value.astimezone(dt.timezone.utc)
    return f"{u.day} {u:%B %Y} at {u:%H:%M} UTC"


def _duration(run: Any) -> str:
    seconds = max(0, round((run.finished_at - run.started_at).total_seconds()))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{seconds // 60} minutes {seconds % 60} seconds"


def render(
    result: RunResult,
    config: Config | None = None,
    *,
    criterion_titles: Mapping[str, str] | None = None,
    check_titles: Mapping[str, str] | None = None,
    control_titles: Mapping[str, str] | None = None,
    categories: Iterable[str] | None = None,
    verbose: bool = True,
    **options: Any,
) -> str:
    """The HTML page.

    :param title, organization, system, period: shown at the top; default to the
        ``[report]`` table of the config (``period`` there is ``period_start`` and
        ``period_end``), the title to "SOC 2 readiness report".
    :param criterion_titles: criterion ID -> title, overriding the shipped catalog.
    :param check_titles: check ID -> one-line title; ``control_titles`` likewise.
    :param categories: the categories whose every criterion the readiness view lists
        (default: security plus every category the findings touch).
    :param verbose: list passing findings (collapsed); ``False`` only counts them.
    """
    findings = worst_first(result.findings)
    run = result.run
    total = counts(findings)
    ctitles = catalog_titles(criterion_titles)
    chtitles = dict(check_titles or {})
    cotitles = dict(control_titles or {})
    owners: Mapping[str, str] = config.data.owners if config is not None else {}
    title = _setting("title", options, config) or "SOC 2 readiness report"
    org = _setting("organization", options, config)
    system = _setting("system", options, config)
    period = _setting("period", options, config) or _config_period(config)

    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
    ]
    facts = [("Organization", org), ("System", system), ("Period", period)]
    out.append(
        '<p class="muted" id="about">'
        + " · ".join(f"{k}: <strong>{esc(v)}</strong>" for k, v in facts if v)
        + ("<br>" if any(v for _, v in facts) else "")
        + f"Checked on {esc(_when(run.started_at))}, in {esc(_duration(run))}, "
        f"by soc2checks {esc(run.tool_version)}.</p>"
    )
    toc = [
        ("summary", "Summary"),
        ("readiness", "Readiness by criterion"),
        ("chart", "Findings per category"),
        ("controls", "Controls"),
        ("findings", "Findings"),
        ("waivers", "Waivers"),
        ("run", "Run details"),
    ]
    out.append('<nav class="toc" id="toc"><strong>Contents</strong><ol>')
    out += [f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in toc]
    out.append("</ol></nav>")

    out.append('<h2 id="summary">Summary</h2>')
    for warning in run.warnings:
        out.append(f'<p class="warning"><strong>Warning:</strong> {esc(warning)}</p>')
    out.append(f'<p id="summary-line">{esc(summary_line(total))}</p>')
    out.append('<div class="tiles">')
    for status in _ORDER:
        out.append(f'<div class="tile"><b>{total[status.value]}</b>{_badge(status)}</div>')
    out.append("</div>")

    by_crit: dict[str, list[Finding]] = {}
    for f in findings:
        for cid in dict.fromkeys(f.criteria):
            by_crit.setdefault(cid, []).append(f)
    cats = categories_for(categories, config, by_crit)
    out += readiness(by_crit, ctitles, cats, esc, _badge)
    out += chart(findings, cats, esc)
    out += _controls(findings, cotitles, owners)
    out += _findings(findings, chtitles, cotitles, verbose)
    out += _waivers([f for f in findings if f.waiver is not None])
    out += _run_details(result)
    out.append(f"<script>{JS}</script>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _config_period(config: Config | None) -> str:
    report = getattr(config.data, "report", None) if config is not None else None
    start = getattr(report, "period_start", None)
    end = getattr(report, "period_end", None)
    if start and end:
        return f"{start} to {end}"
    return f"from {start}" if start else (f"until {end}" if end else "")


def _controls(
    findings: list[Finding], titles: Mapping[str, str], owners: Mapping[str, str]
) -> list[str]:
    out = [
        '<h2 id="controls">Controls</h2>',
        "<table><thead><tr><th>Control</th><th>Title</th><th>Owner</th><th>Criteria</th>"
        '<th>Status</th><th class="n">Fail</th><th class="n">Error</th>'
        '<th class="n">Waived</th><th class="n">Skip</th><th class="n">Pass</th></tr>'
        "</thead><tbody>",
    ]
    for control_id, group in sorted(
        group_by_control(findings), key=lambda g: (STATUS_RANK[overall_status(g[1])], g[0])
    ):
        c = counts(group)
        crits = sorted({cid for f in group for cid in f.criteria}, key=criterion_sort_key)
        cells = "".join(f'<td class="n">{c[s.value]}</td>' for s in _ORDER)
        out.append(
            f"<tr><td><code>{esc(control_id or '(none)')}</code></td>"
            f"<td>{esc(titles.get(control_id, ''))}</td>"
            f"<td>{esc(owners.get(control_id, '') or '-')}</td><td>{esc(', '.join(crits))}</td>"
            f"<td>{_badge(overall_status(group))}</td>{cells}</tr>"
        )
    out.append("</tbody></table>")
    return out


def _filters(findings: list[Finding]) -> list[str]:
    def options(values: Iterable[str], key: Any = None) -> str:
        return "".join(
            f'<option value="{esc(v)}">{esc(v)}</option>' for v in sorted(set(values), key=key)
        )

    boxes = "".join(
        f'<label><input type="checkbox" name="status" value="{s.value}" checked> '
        f"{_badge(s)}</label>"
        for s in _ORDER
    )
    return [
        '<form id="filters" hidden>',
        boxes,
        '<label>Provider <select id="f-provider"><option value="">all</option>'
        + options(f.provider for f in findings)
        + "</select></label>",
        '<label>Control <select id="f-control"><option value="">all</option>'
        + options(f.control_id for f in findings if f.control_id)
        + "</select></label>",
        '<label>Criterion <select id="f-criterion"><option value="">all</option>'
        + options((c for f in findings for c in f.criteria), key=criterion_sort_key)
        + "</select></label>",
        '<label>Text <input type="search" id="f-text" placeholder="resource, message…"></label>',
        f'<span><strong id="shown-count">{len(findings)}</strong> shown</span>',
        "</form>",
    ]


def _findings(
    findings: list[Finding],
    check_titles: Mapping[str, str],
    control_titles: Mapping[str, str],
    verbose: bool,
) -> list[str]:
    out = ['<h2 id="findings">Findings</h2>', *_filters(findings)]
    sections = [
        (Status.FAIL, "Failures", True),
        (Status.ERROR, "Errors (the check could not judge)", True),
        (Status.WAIVED, "Waived failures", False),
        (Status.SKIP, "Skipped (not applicable)", False),
        (Status.PASS, "Passing", False),
    ]
    for status, heading, is_open in sections:
        group = [f for f in findings if f.status is status]
        if not group:
            continue
        if status is Status.PASS and not verbose:
            out.append(f'<p id="passes">{len(group)} passing findings (not listed).</p>')
            continue
        attr = " open" if is_open else ""
        out.append(
            f'<details class="group" id="group-{status.value}"{attr}><summary>'
            f"{esc(heading)}: {len(group)}</summary>"
        )
        out += [_finding(f, check_titles, control_titles) for f in group]
        out.append("</details>")
    if not findings:
        out.append("<p>No findings.</p>")
    return out


def _finding(f: Finding, check_titles: Mapping[str, str], control_titles: Mapping[str, str]) -> str:
    problem = f.status in (Status.FAIL, Status.ERROR, Status.WAIVED)
    control = f.control_id
    if control and control_titles.get(control):
        control = f"{control} ({control_titles[control]})"
    rows: list[tuple[str, str]] = [
        ("Check", f"<code>{esc(f.check_id)}</code>"),
        ("Control", esc(control)),
        ("Criteria", esc(", ".join(f.criteria))),
        ("Severity", esc(f.severity.value)),
        ("Provider", esc(f.provider)),
        ("Scope", esc(scope_label(f.scope))),
        ("Resource", f"<code>{esc(f.resource_id)}</code>" if f.resource_id else ""),
        ("Resource type", esc(f.resource_type)),
        ("Remediation", esc(f.remediation) if problem else ""),
        ("Waiver", esc(waiver_text(f))),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    name = check_titles.get(f.check_id) or f.check_id
    where = f.resource_id or scope_label(f.scope) or f.provider
    data = (
        f'data-status="{f.status.value}" data-provider="{esc(f.provider)}" '
        f'data-control="{esc(f.control_id)}" data-criteria="{esc(" ".join(f.criteria))}"'
    )
    parts = [
        f'<details class="finding st-{f.status.value}" {data}>',
        f"<summary>{_badge(f.status)} {esc(name)}"
        + (f" · <code>{esc(where)}</code>" if where else "")
        + f' <span class="muted">{esc(", ".join(f.criteria))}</span></summary>',
    ]
    if f.message:
        parts.append(f'<div class="msg">{esc(f.message)}</div>')
    parts.append(f"<dl>{dl}</dl>")
    parts.append(evidence_html(f.evidence, f.provider))
    parts.append("</details>")
    return "".join(parts)


def _waivers(waived: list[Finding]) -> list[str]:
    out = ['<h2 id="waivers">Waivers</h2>']
    if not waived:
        return [*out, "<p>No finding was waived.</p>"]
    out.append(
        "<table><thead><tr><th>Check</th><th>Resource</th><th>Justification</th>"
        "<th>Approved by</th><th>Expires</th><th>Risk / ticket</th></tr></thead><tbody>"
    )
    for f in waived:
        w = f.waiver
        assert w is not None
        extra = " / ".join(x for x in (w.risk or "", w.ticket or "") if x)
        out.append(
            f"<tr><td><code>{esc(f.check_id)}</code></td><td><code>{esc(f.resource_id)}</code>"
            f"</td><td>{esc(w.justification)}</td><td>{esc(w.approved_by)}</td>"
            f"<td>{esc(w.expires.isoformat())}</td><td>{esc(extra or '-')}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _run_details(result: RunResult) -> list[str]:
    run = result.run
    rows = [
        ("Run ID", f"<code>{esc(run.id)}</code>"),
        ("Started", esc(utc_iso(run.started_at))),
        ("Finished", esc(utc_iso(run.finished_at))),
        ("soc2checks", esc(run.tool_version)),
        ("Configuration digest", f"<code>{esc(run.config_digest)}</code>"),
        (
            "Plugins",
            esc(", ".join(f"{p.name} {p.version or ''}".strip() for p in run.plugins) or "-"),
        ),
    ]
    out = ['<h2 id="run">Run details</h2>', "<table><tbody>"]
    out += [f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows]
    out.append("</tbody></table>")
    if run.facts:
        out.append("<h3>What the providers enumerated</h3>")
        out.append(f"<pre>{esc(dumps_evidence(run.facts))}</pre>")
    return out
