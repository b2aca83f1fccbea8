"""The findings JSON format, ``soc2checks/findings/v1``: stable, documented, deterministic.

The document is one object with ``schema``, ``run``, ``summary``, ``findings`` and
``idle_checks`` (selected checks that judged nothing, and why); its
JSON Schema ships next to this module as ``findings-v1.schema.json``
(:func:`schema_document`). Two runs over the same estate give byte-identical output
apart from the ``run`` block (ID, times, versions, warnings).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from soc2checks._errors import Soc2ChecksError
from soc2checks._model import Finding, IdleCheck, RunInfo, RunResult, Summary
from soc2checks.reporters._common import sorted_findings, to_jsonable, utc_iso

if TYPE_CHECKING:
    from soc2checks._config import Config

SCHEMA_ID = "soc2checks/findings/v1"
SCHEMA_FILE = "findings-v1.schema.json"


class FindingsFormatError(Soc2ChecksError, ValueError):
    """Text that is not a valid ``soc2checks/findings/v1`` document."""


def finding_to_dict(f: Finding) -> dict[str, Any]:
    """One finding as the documented JSON object."""
    return {
        "check_id": f.check_id,
        "control_id": f.control_id,
        "criteria": list(f.criteria),
        "status": f.status.value,
        "severity": f.severity.value,
        "provider": f.provider,
        "scope": {str(k): str(v) for k, v in f.scope.items()},
        "resource_id": f.resource_id,
        "resource_type": f.resource_type,
        "message": f.message,
        "evidence": to_jsonable(f.evidence),
        "remediation": f.remediation,
        "waiver": f.waiver.model_dump(mode="json") if f.waiver is not None else None,
    }


def run_to_dict(run: RunInfo) -> dict[str, Any]:
    """The ``run`` block: the only part that varies between two runs."""
    return {
        "id": run.id,
        "started_at": utc_iso(run.started_at),
        "finished_at": utc_iso(run.finished_at),
        "tool_version": run.tool_version,
        "plugins": [
            {"name": p.name, "distribution": p.distribution, "version": p.version}
            for p in run.plugins
        ],
        "config_digest": run.config_digest,
        "warnings": list(run.warnings),
        "facts": run.facts,
    }


def result_to_dict(result: RunResult) -> dict[str, Any]:
    """The whole document as plain data. The summary is counted from the findings."""
    findings = sorted_findings(result.findings)
    return {
        "schema": SCHEMA_ID,
        "run": run_to_dict(result.run),
        "summary": Summary.of(findings).as_dict(),
        "findings": [finding_to_dict(f) for f in findings],
        "idle_checks": [
            {
                "check_id": i.check_id,
                "provider": i.provider,
                "reason": i.reason,
                "message": i.message,
            }
            for i in sorted(result.idle_checks, key=lambda i: i.check_id)
        ],
    }


def render(result: RunResult, config: Config | None = None, **options: Any) -> str:
    """Findings JSON: keys sorted, 2-space indent, UTF-8 text, trailing newline.

    Options: none (accepted and ignored, so every reporter can share one call).
    """
    doc = result_to_dict(result)
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_findings_json(text: str | bytes, *, source: str = "findings JSON") -> RunResult:
    """Read a ``soc2checks/findings/v1`` document back into a :class:`RunResult`.

    Used by baselines (and the evidence store). Raises :class:`FindingsFormatError`
    with a one-line message naming ``source`` when the text is not such a document.
    Unknown keys are ignored, so a reader of v1 keeps working if fields are added.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise FindingsFormatError(f"{source}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise FindingsFormatError(f"{source}: expected a JSON object at the top level")
    schema = data.get("schema")
    if schema != SCHEMA_ID:
        raise FindingsFormatError(
            f"{source}: schema is {schema!r}, expected {SCHEMA_ID!r} "
            "(is this a soc2checks findings file?)"
        )
    try:
        findings = [Finding.model_validate(f) for f in _list(data, "findings", source)]
        run = RunInfo.model_validate(data.get("run"))
        idle = [IdleCheck.model_validate(i) for i in data.get("idle_checks") or ()]
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise FindingsFormatError(f"{source}: {loc or 'value'}: {first['msg']}") from None
    return RunResult(
        run=run,
        summary=Summary.of(findings),
        findings=sorted_findings(findings),
        idle_checks=idle,
    )


def _list(data: dict[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise FindingsFormatError(f"{source}: {key!r} must be a list")
    return value


def schema_document() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the findings format."""
    text = resources.files("soc2checks.reporters").joinpath(SCHEMA_FILE).read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc
