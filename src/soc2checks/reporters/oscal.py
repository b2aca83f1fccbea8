"""NIST OSCAL assessment results (and a minimal assessment plan), built with trestle.

``oscal`` writes one ``assessment-results`` document with one ``result`` per run:

- every finding is an **observation** (``methods: [TEST]``, ``types: [finding]``,
  ``collected`` the run's end), its subject the resource as an inventory item, its
  evidence in ``relevant-evidence``, our status, check, control, severity and
  fingerprint as properties;
- every criterion with findings is an OSCAL **finding** targeting the objective
  ``cc6.1`` (criterion ID in lower case), ``objective-status`` ``satisfied`` or
  ``not-satisfied`` (rules in :func:`objective_status`), related to its observations.

``import-ap`` points at a back-matter resource holding the assessment plan (inline as
base64, and as the file name ``soc2checks-assessment-plan.json``, which the
``oscal-plan`` format writes). UUIDs are version 5, derived from the run ID and each
finding's fingerprint: the same run renders to the same bytes.

Needs ``compliance-trestle`` (``pip install 'soc2checks[oscal]'``).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from soc2checks._errors import MissingDependencyError
from soc2checks._model import Finding, Status
from soc2checks.reporters._common import (
    criterion_sort_key,
    criterion_titles,
    fingerprint_hash,
    scope_label,
    sorted_findings,
    to_jsonable,
)

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import RunResult

PLAN_FILE = "soc2checks-assessment-plan.json"
#: Namespace of our own OSCAL properties.
NS = "https://pypi.org/project/soc2checks/ns/oscal"
_UUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, NS)


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_UUID_NS, "\x1f".join(parts)))


def _trestle() -> Any:
    try:
        from trestle.oscal import assessment_plan, assessment_results, common
    except ImportError:
        raise MissingDependencyError(
            "the oscal format needs compliance-trestle: pip install 'soc2checks[oscal]'"
        ) from None
    return common, assessment_results, assessment_plan


def oscal_version() -> str:
    """The OSCAL version the installed trestle models (and this output) follow."""
    _trestle()
    from trestle.oscal import OSCAL_VERSION

    return str(OSCAL_VERSION)


def _aware(value: dt.datetime) -> dt.datetime:
    """Timezone-aware, to the second: trestle writes fractions it does not read back."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)
    return aware.replace(microsecond=0)


def _line(text: str) -> str:
    """A single-line OSCAL string (no leading, trailing or repeated whitespace)."""
    return re.sub(r"\s+", " ", text).strip() or "-"


def objective_id(criterion: str) -> str:
    """``CC6.1`` -> ``cc6.1``: the objective a criterion's finding targets."""
    return criterion.lower()


def objective_status(findings: Iterable[Finding]) -> tuple[str, str, str]:
    """(state, reason, remarks) of one criterion from its findings.

    Any failure: ``not-satisfied``/``fail``. Otherwise any error:
    ``not-satisfied``/``other`` (a check that could not judge never satisfies an
    objective). Otherwise at least one pass or waived finding: ``satisfied``/``pass``
    (waivers named in the remarks). Only skips: ``not-satisfied``/``other``, since
    nothing was judged.
    """
    by: dict[Status, int] = {}
    for f in findings:
        by[f.status] = by.get(f.status, 0) + 1
    parts = [f"{by[s]} {s.value}" for s in Status if by.get(s)]
    remarks = ", ".join(parts)
    if by.get(Status.FAIL):
        return "not-satisfied", "fail", remarks
    if by.get(Status.ERROR):
        return "not-satisfied", "other", remarks + " (could not judge)"
    if by.get(Status.PASS) or by.get(Status.WAIVED):
        return "satisfied", "pass", remarks
    return "not-satisfied", "other", remarks + " (nothing judged)"


def _props(common: Any, **values: str) -> list[Any]:
    return [
        common.Property(name=k.replace("_", "-"), value=_line(v), ns=NS)
        for k, v in values.items()
        if v
    ]


def _tool_component(common: Any, run_id: str, version: str) -> Any:
    return common.SystemComponent(
        uuid=_uuid(run_id, "component", "soc2checks"),
        type="software",
        title="soc2checks",
        description=f"soc2checks {version}: SOC 2 checks as code (automated tests).",
        status=common.Status(state="operational"),
    )


def _plan_model(result: RunResult) -> Any:
    common, _, ap = _trestle()
    run = result.run
    criteria = sorted({c for f in result.findings for c in f.criteria}, key=criterion_sort_key)
    ssp_resource = _uuid(run.id, "ssp")
    selection: Any
    if criteria:
        selection = common.ControlSelections(
            include_controls=[
                common.SelectControlById(control_id=objective_id(c)) for c in criteria
            ]
        )
    else:
        selection = common.ControlSelectionsAll(include_all=common.IncludeAll())
    return ap.AssessmentPlan(
        uuid=_uuid(run.id, "assessment-plan"),
        metadata=common.Metadata(
            title="SOC 2 automated assessment plan (soc2checks)",
            last_modified=_aware(run.started_at),
            version=run.tool_version,
            oscal_version=common.OscalVersion(oscal_version()),
        ),
        import_ssp=common.ImportSsp(
            href=f"#{ssp_resource}",
            remarks="No SSP is imported: the system is described by the soc2checks "
            "configuration (digest in the resource below).",
        ),
        local_definitions=ap.LocalDefinitions(
            components=[_tool_component(common, run.id, run.tool_version)],
        ),
        reviewed_controls=common.ReviewedControls(
            description="AICPA Trust Services Criteria (2017, revised points of focus 2022) "
            "selected for this run.",
            control_selections=[selection],
        ),
        assessment_subjects=[
            common.AssessmentSubjectAll(
                type="inventory-item",
                description="Every resource the selected checks enumerate.",
                include_all=common.IncludeAll(),
            )
        ],
        back_matter=common.BackMatter(
            resources=[
                common.Resource(
                    uuid=ssp_resource,
                    title="System under assessment",
                    description="The soc2checks configuration that defines the scope; "
                    f"config digest {run.config_digest or 'none'}.",
                )
            ]
        ),
    )


def _dumps(model: Any) -> str:
    doc = model.oscal_dict()
    return json.dumps(to_jsonable(doc), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_plan(result: RunResult, config: Config | None = None, **options: Any) -> str:
    """``oscal-plan``: the minimal assessment plan the ``oscal`` results import."""
    return _dumps(_plan_model(result))


def _observation(common: Any, f: Finding, run_id: str, collected: dt.datetime) -> Any:
    fp = fingerprint_hash(f)
    subject = f.resource_id or scope_label(f.scope) or f.provider or "run"
    evidence = []
    if f.evidence:
        text = json.dumps(to_jsonable(f.evidence), sort_keys=True, ensure_ascii=False)
        evidence.append(common.RelevantEvidence(description=f"Resource attributes: {text}"))
    return common.Observation(
        uuid=_uuid(run_id, "observation", fp),
        title=_line(f"{f.check_id} on {subject}"),
        description=f.message or f"{f.check_id}: {f.status.value}",
        props=_props(
            common,
            status=f.status.value,
            check_id=f.check_id,
            control_id=f.control_id,
            severity=f.severity.value,
            provider=f.provider,
            fingerprint=fp,
        ),
        methods=["TEST"],
        types=["finding"],
        origins=[
            common.Origin(
                actors=[
                    common.OriginActor(
                        type="tool", actor_uuid=_uuid(run_id, "component", "soc2checks")
                    )
                ]
            )
        ],
        subjects=[
            common.SubjectReference(
                subject_uuid=_uuid(run_id, "subject", f.provider, subject),
                type="inventory-item",
                title=_line(subject),
            )
        ],
        relevant_evidence=evidence or None,
        collected=collected,
        remarks=_remarks(f),
    )


def _remarks(f: Finding) -> str | None:
    parts = []
    if f.remediation and f.status in (Status.FAIL, Status.ERROR, Status.WAIVED):
        parts.append(f"Remediation: {f.remediation}")
    if f.waiver is not None:
        w = f.waiver
        parts.append(
            f"Waived: {w.justification} (approved by {w.approved_by}, expires {w.expires})"
        )
    return "\n\n".join(parts) or None


def _inventory(common: Any, findings: list[Finding], run_id: str) -> list[Any]:
    seen: dict[str, Any] = {}
    for f in findings:
        subject = f.resource_id or scope_label(f.scope) or f.provider or "run"
        key = _uuid(run_id, "subject", f.provider, subject)
        if key not in seen:
            seen[key] = common.InventoryItem(
                uuid=key,
                description=subject,
                props=_props(
                    common,
                    resource_id=f.resource_id,
                    resource_type=f.resource_type,
                    provider=f.provider,
                    scope=scope_label(f.scope),
                ),
            )
    return list(seen.values())


def _result_model(result: RunResult) -> Any:
    common, ar, _ = _trestle()
    run = result.run
    findings = sorted_findings(result.findings)
    collected = _aware(run.finished_at)
    observations = [_observation(common, f, run.id, collected) for f in findings]
    obs_uuid = {id(f): o.uuid for f, o in zip(findings, observations, strict=True)}
    by_criterion: dict[str, list[Finding]] = {}
    for f in findings:
        for c in dict.fromkeys(f.criteria):
            by_criterion.setdefault(c, []).append(f)
    titles = criterion_titles()
    oscal_findings = []
    for crit in sorted(by_criterion, key=criterion_sort_key):
        group = by_criterion[crit]
        state, reason, remarks = objective_status(group)
        oscal_findings.append(
            common.Finding(
                uuid=_uuid(run.id, "finding", crit),
                title=_line(f"{crit} {titles.get(crit, '')}"),
                description=f"{crit}: {remarks}.",
                target=common.FindingTarget(
                    type="objective-id",
                    target_id=objective_id(crit),
                    title=_line(titles.get(crit, crit)),
                    status=common.ObjectiveStatus(state=state, reason=reason, remarks=remarks),
                ),
                related_observations=[
                    common.RelatedObservation(observation_uuid=obs_uuid[id(f)]) for f in group
                ],
            )
        )
    selection: Any = (
        common.ControlSelections(
            include_controls=[
                common.SelectControlById(control_id=objective_id(c))
                for c in sorted(by_criterion, key=criterion_sort_key)
            ]
        )
        if by_criterion
        else common.ControlSelectionsAll(include_all=common.IncludeAll())
    )
    return ar.Result(
        uuid=_uuid(run.id, "result"),
        title=f"soc2checks run {run.id}",
        description=f"Automated SOC 2 checks: {len(findings)} findings "
        f"({', '.join(f'{v} {k}' for k, v in result.summary.as_dict().items() if k != 'total')}).",
        start=_aware(run.started_at),
        end=_aware(run.finished_at),
        props=_props(common, run_id=run.id, config_digest=run.config_digest),
        local_definitions=ar.LocalDefinitions1(
            components=[_tool_component(common, run.id, run.tool_version)],
            inventory_items=_inventory(common, findings, run.id) or None,
        ),
        reviewed_controls=common.ReviewedControls(control_selections=[selection]),
        observations=observations or None,
        findings=oscal_findings or None,
        remarks="\n".join(run.warnings) or None,
    )


def render(result: RunResult, config: Config | None = None, **options: Any) -> str:
    """``oscal``: OSCAL assessment-results JSON, one ``result`` for the run."""
    common, ar, _ = _trestle()
    run = result.run
    plan_uuid = _uuid(run.id, "assessment-plan-resource")
    plan_text = render_plan(result)
    doc = ar.AssessmentResults(
        uuid=_uuid(run.id, "assessment-results"),
        metadata=common.Metadata(
            title="SOC 2 automated assessment results (soc2checks)",
            last_modified=_aware(run.finished_at),
            version=run.tool_version,
            oscal_version=common.OscalVersion(oscal_version()),
        ),
        import_ap=ar.ImportAp(href=f"#{plan_uuid}"),
        results=[_result_model(result)],
        back_matter=common.BackMatter(
            resources=[
                common.Resource(
                    uuid=plan_uuid,
                    title="Assessment plan",
                    description="The assessment plan of this run, as written by "
                    "`--format oscal-plan`.",
                    rlinks=[common.Rlink(href=PLAN_FILE, media_type="application/json")],
                    base64=common.Base64(
                        filename=PLAN_FILE,
                        media_type="application/json",
                        value=base64.b64encode(plan_text.encode("utf-8")).decode("ascii"),
                    ),
                )
            ]
        ),
    )
    return _dumps(doc)
