"""The gap assessment: per criterion, which evidence covers it and whether it holds.

A SOC 2 readiness assessment covers every criterion of the categories in scope
(Security always; the others by choice). For each one this module says which kinds
of evidence the selected checks give (``automated``, ``records``, ``documents``, or
none), and, after a run, whether the criterion is ``covered`` (judged, nothing
failing), ``failing`` (a fail or error, with the missing artefact named),
``not judged`` (checks exist but judged nothing, or every finding was skipped) or
``missing`` (no check maps to it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from soc2checks._catalog import CATEGORY_OF_PREFIX
from soc2checks._model import Finding, Status
from soc2checks._plugins import CheckDef, Registry
from soc2checks.frameworks import TSC, Framework, tsc_framework

KINDS = ("automated", "records", "documents")
_GAPS_SHOWN = 3


def evidence_kind(registry: Registry, check: CheckDef) -> str:
    """The kind of evidence one check gives, from its provider's declaration."""
    provider = registry.providers.get(check.provider)
    if provider is None:
        return "automated"
    if set(registry.fixture_closure(check.inputs)) & set(provider.document_fixtures):
        return "documents"
    return provider.evidence if provider.evidence in KINDS else "automated"


def evidence_by_criterion(
    registry: Registry, checks: Iterable[CheckDef], framework: Framework | None = None
) -> dict[str, dict[str, int]]:
    """Requirement (a criterion by default) -> kind -> number of checks giving it."""
    out: dict[str, dict[str, int]] = {}
    for check in checks:
        kind = evidence_kind(registry, check)
        ids = framework.ids_of(check.control.id) if framework is not None else check.criteria
        for cid in ids:
            kinds = out.setdefault(cid, {})
            kinds[kind] = kinds.get(kind, 0) + 1
    return out


def criteria_listing(
    registry: Registry, selected: Sequence[CheckDef], framework_id: str | None = None
) -> tuple[list[dict[str, object]], str]:
    """``list criteria``: one row per requirement of the framework (the Trust Services
    Criteria by default) with the kind of evidence and the checks per provider, and the
    footer line counting those with an evidence path."""
    from soc2checks._frameworks import framework

    fw = framework(registry, framework_id)
    by_req: dict[str, dict[str, int]] = {}
    for c in selected:
        for rid in fw.ids_of(c.control.id):
            per = by_req.setdefault(rid, {})
            per[c.provider] = per.get(c.provider, 0) + 1
    kinds = evidence_by_criterion(registry, selected, fw)
    rows: list[dict[str, object]] = [
        {
            "criterion": r.id,
            "category": r.category,
            "evidence": kinds_label(kinds.get(r.id, {})),
            "checks": dict(sorted(by_req.get(r.id, {}).items())),
            "title": r.title,
        }
        for r in fw.requirements
    ]
    covered = sum(1 for r in rows if r["evidence"] != "none")
    noun = "criteria" if fw.id == TSC else f"{fw.id} requirements"
    return rows, f"evidence path for {covered}/{len(rows)} {noun}"


def kinds_label(kinds: dict[str, int]) -> str:
    """``automated+documents``; ``none`` when nothing covers the criterion."""
    return "+".join(k for k in KINDS if kinds.get(k)) or "none"


@dataclass
class CriterionReadiness:
    id: str
    category: str
    title: str
    evidence: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    """What is missing or failing, named: the failing findings' messages."""

    @property
    def status(self) -> str:
        if not self.evidence:
            return "missing"
        if self.counts.get("fail") or self.counts.get("error"):
            return "failing"
        if self.counts.get("pass") or self.counts.get("waived"):
            return "covered"
        return "not judged"

    def as_dict(self) -> dict[str, object]:
        return {
            "criterion": self.id,
            "category": self.category,
            "title": self.title,
            "status": self.status,
            "evidence": kinds_label(self.evidence),
            "checks": dict(sorted(self.evidence.items())),
            "findings": dict(sorted(self.counts.items())),
            "gaps": list(self.gaps),
        }


def scoped_categories(configured: Sequence[str] | None, chosen: Sequence[str] | None) -> set[str]:
    """The categories assessed: those chosen (or configured, or all), Security always."""
    every = set(CATEGORY_OF_PREFIX.values())
    return set(chosen or configured or every) | {"security"}


def assess(
    registry: Registry,
    selected: Iterable[CheckDef],
    findings: Iterable[Finding],
    categories: set[str],
    framework: Framework | None = None,
) -> list[CriterionReadiness]:
    """One row per requirement: each criterion of ``categories`` for the Trust Services
    Criteria, every requirement of another framework; in framework order."""
    fw = framework or tsc_framework(registry.controls)
    evidence = evidence_by_criterion(registry, selected, fw)
    rows = {
        r.id: CriterionReadiness(r.id, r.category, r.title, evidence.get(r.id, {}))
        for r in fw.requirements
        if fw.id != TSC or r.category in categories
    }
    failing: dict[str, list[Finding]] = {}
    for f in findings:
        for cid in fw.ids_of(f.control_id) if fw.id != TSC else f.criteria:
            row = rows.get(cid)
            if row is None:
                continue
            row.counts[f.status.value] = row.counts.get(f.status.value, 0) + 1
            if f.status in (Status.FAIL, Status.ERROR):
                failing.setdefault(cid, []).append(f)
    for cid, row in rows.items():
        if not row.evidence:
            row.gaps.append("no check maps to this criterion: add a document, record or check")
            continue
        bad = failing.get(cid, [])
        for f in bad[:_GAPS_SHOWN]:
            row.gaps.append(f"{f.check_id}: {f.message}")
        if len(bad) > _GAPS_SHOWN:
            row.gaps.append(f"... and {len(bad) - _GAPS_SHOWN} more failing findings")
        if row.status == "not judged":
            row.gaps.append("the checks judged nothing (every finding skipped, or no resource)")
    return list(rows.values())


def render_text(rows: Sequence[CriterionReadiness], noun: str = "criteria") -> str:
    """The gap assessment as a plain-text table with a summary line."""
    lines = []
    width = max((len(r.id) for r in rows), default=5)
    for r in rows:
        lines.append(
            f"{r.id.ljust(width)}  {r.status.ljust(10)}  {kinds_label(r.evidence).ljust(28)}  "
            f"{r.title}"
        )
        lines.extend(f"{' ' * width}    - {gap}" for gap in r.gaps)
    covered = sum(1 for r in rows if r.status == "covered")
    with_evidence = sum(1 for r in rows if r.evidence)
    lines.append("")
    lines.append(
        f"readiness: {covered}/{len(rows)} {noun} covered and passing; "
        f"{with_evidence}/{len(rows)} have an evidence path; "
        f"{sum(1 for r in rows if r.status == 'failing')} failing"
    )
    width = max(width, 9)
    header = f"{'CRITERION'.ljust(width)}  {'STATUS'.ljust(10)}  {'EVIDENCE'.ljust(28)}  TITLE"
    return "\n".join([header, *lines]) + "\n"
