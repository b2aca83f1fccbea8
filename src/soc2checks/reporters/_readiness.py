"""The HTML report's readiness view: every criterion of the run's categories, and how
it is covered (automated checks, documents, records or nothing), plus the chart of
statuses per category."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from soc2checks._catalog import CATEGORY_OF_PREFIX
from soc2checks._model import Finding, Status
from soc2checks.reporters._common import counts, criterion_sort_key, overall_status

if TYPE_CHECKING:
    from collections.abc import Callable

    from soc2checks._config import Config

CATEGORIES = tuple(CATEGORY_OF_PREFIX.values())
#: ``files`` resource types that are records (the rest of ``files`` are documents).
RECORD_TYPES = frozenset(
    {"files:record", "files:risk-register", "files:risk", "files:vendor-inventory", "files:vendor"}
)
_ORDER = (Status.FAIL, Status.ERROR, Status.WAIVED, Status.SKIP, Status.PASS)


def category_of(cid: str) -> str | None:
    """``CC6.1`` -> ``security``; ``None`` for an ID outside the framework."""
    prefix = cid.rstrip("0123456789.")
    return CATEGORY_OF_PREFIX.get(prefix)


def evidence_kinds(findings: Iterable[Finding]) -> list[str]:
    """How a criterion is covered: ``automated``, ``documents``, ``records`` (sorted)."""
    kinds = set()
    for f in findings:
        if f.provider != "files":
            kinds.add("automated")
        elif f.resource_type in RECORD_TYPES:
            kinds.add("records")
        else:
            kinds.add("documents")
    return sorted(kinds)


def categories_for(
    explicit: Iterable[str] | None, config: Config | None, criteria_seen: Iterable[str]
) -> list[str]:
    """The categories the readiness view lists, in framework order.

    ``explicit`` (the ``categories`` option) when given, else security plus the
    config's ``categories``, else security plus every category the findings touch.
    """
    chosen = list(explicit or [])
    if not chosen and config is not None and config.data.categories:
        chosen = ["security", *config.data.categories]
    if not chosen:
        chosen = ["security", *(c for cid in criteria_seen if (c := category_of(cid)))]
    return [c for c in CATEGORIES if c in chosen]


def readiness(
    by_crit: Mapping[str, list[Finding]],
    titles: Mapping[str, str],
    cats: list[str],
    esc: Callable[[object], str],
    badge: Callable[[Status | None], str],
) -> list[str]:
    """The readiness table's HTML lines."""
    from soc2checks._catalog import criteria

    ids = [c.id for c in criteria().values() if c.category in cats]
    ids += [cid for cid in by_crit if cid not in ids]
    ids.sort(key=criterion_sort_key)
    covered = sum(1 for cid in ids if by_crit.get(cid))
    out = [
        '<h2 id="readiness">Readiness by criterion</h2>',
        f'<p class="muted">{covered} of {len(ids)} criteria in '
        f"{esc(', '.join(cats))} have evidence from this run; the others need "
        "evidence from elsewhere (or a check).</p>",
        '<table id="readiness-table"><thead><tr><th>Criterion</th><th>Title</th>'
        "<th>Evidence</th><th>Status</th><th>Findings</th></tr></thead><tbody>",
    ]
    for cid in ids:
        group = by_crit.get(cid, [])
        kinds = ", ".join(evidence_kinds(group)) or "nothing"
        status = badge(overall_status(group) if group else None)
        phrase = ", ".join(f"{n} {s}" for s in _ORDER if (n := sum(f.status is s for f in group)))
        out.append(
            f'<tr data-criterion="{esc(cid)}"><td><a href="#findings" '
            f'data-crit="{esc(cid)}"><code>{esc(cid)}</code></a></td>'
            f"<td>{esc(titles.get(cid, ''))}</td><td>{esc(kinds)}</td><td>{status}</td>"
            f"<td>{esc(phrase or '-')}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def chart(findings: list[Finding], cats: list[str], esc: Callable[[object], str]) -> list[str]:
    """The statuses-per-category chart's HTML lines (CSS bars, no script)."""
    out = [
        '<h2 id="chart">Findings per category</h2>',
        '<table class="chart"><tbody>',
    ]
    for cat in cats:
        group = [f for f in findings if any(category_of(c) == cat for c in f.criteria)]
        c = counts(group)
        n = c["total"]
        spans = "".join(
            f'<span class="s-{s.value}" style="width:{100 * c[s.value] / n:.2f}%" '
            f'title="{c[s.value]} {s.value}"></span>'
            for s in _ORDER
            if n and c[s.value]
        )
        label = ", ".join(f"{c[s.value]} {s.value}" for s in _ORDER if c[s.value]) or "none"
        out.append(
            f'<tr><td>{esc(cat)}</td><td><div class="bar" role="img" '
            f'aria-label="{esc(cat)}: {esc(label)}">{spans}</div></td>'
            f'<td class="n">{n} findings</td></tr>'
        )
    out.append("</tbody></table>")
    return out
