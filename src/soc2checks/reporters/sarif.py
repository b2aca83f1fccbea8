"""SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning and others).

One rule per check that produced a finding, with its criteria, control and severity;
one result per ``fail`` (``kind: fail``, level from severity) and per ``error``
(``kind: open``, the check could not judge; SARIF then requires ``level: none``).
Passes, skips and waived findings produce no result: SARIF consumers show results
as problems and have no way to display a pass, so keep the JSON or JUnit report for
the full picture. Deterministic: no times or run ID in the output.

Locations are logical (``provider/scope/resource_id``, kind ``resource``): a cloud
resource is not a file. Consumers that insist on a file location (GitHub code
scanning does) get one when ``artifact_uri`` is given or the run has a config file
that exists, pointing every result at that file; never at a file that is not there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soc2checks._model import Finding, Severity, Status
from soc2checks.reporters._common import (
    SEVERITY_RANK,
    criterion_sort_key,
    fingerprint_hash,
    scope_label,
    sorted_findings,
    to_jsonable,
)

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import RunResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/soc2checks/"

#: Severity -> SARIF level of a failing result.
LEVELS: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "warning",
    Severity.INFO: "note",
}

#: Severity -> GitHub code scanning's ``security-severity`` score.
SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def render(
    result: RunResult,
    config: Config | None = None,
    *,
    check_titles: Mapping[str, str] | None = None,
    artifact_uri: str | None = None,
    **options: Any,
) -> str:
    """SARIF 2.1.0 JSON text (keys sorted, 2-space indent, trailing newline).

    :param check_titles: check ID -> one-line title for ``shortDescription``.
    :param artifact_uri: a repository-relative file every result points at (needed by
        GitHub code scanning); defaults to the run's config file, relative to the
        working directory, when there is one (:func:`config_artifact_uri`). Without
        either, results carry only their logical location.
    """
    titles = dict(check_titles or {})
    if artifact_uri is None and config is not None:
        artifact_uri = config_artifact_uri(config.path)
    findings = sorted_findings(result.findings)

    by_check: dict[str, list[Finding]] = {}
    for f in findings:
        by_check.setdefault(f.check_id, []).append(f)
    rules = {cid: _rule(cid, group, titles.get(cid)) for cid, group in by_check.items()}
    rule_ids = sorted(rules)
    index = {rid: i for i, rid in enumerate(rule_ids)}

    results = [
        _result(f, index[f.check_id], artifact_uri)
        for f in findings
        if f.status in (Status.FAIL, Status.ERROR)
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "soc2checks",
                "version": result.run.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [rules[rid] for rid in rule_ids],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [_invocation(result.run.warnings)],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def config_artifact_uri(path: Path | None, cwd: Path | None = None) -> str | None:
    """The URI results point at for the config file, or ``None`` when there is none.

    Only a file that exists: relative to ``cwd`` (the repository root in CI, which is
    what code scanning resolves against) when it lies inside it, else a ``file:`` URI.
    """
    if path is None or not path.is_file():
        return None
    full = path.resolve()
    base = (cwd or Path.cwd()).resolve()
    try:
        return full.relative_to(base).as_posix()
    except ValueError:
        return full.as_uri()


def _first(values: list[str]) -> str:
    return next((v for v in values if v), "")


def _rule(check_id: str, group: list[Finding], title: str | None) -> dict[str, Any]:
    """Rule metadata of one check, from every finding it made (first non-empty wins)."""
    control = _first([f.control_id for f in group])
    provider = _first([f.provider for f in group])
    remediation = _first([f.remediation for f in group])
    criteria = sorted({c for f in group for c in f.criteria}, key=criterion_sort_key)
    severity = min((f.severity for f in group), key=lambda s: SEVERITY_RANK[s.value])
    short = title or (f"{check_id} ({control})" if control else check_id)
    help_text = remediation or f"See `soc2checks explain {check_id}`."
    return {
        "id": check_id,
        "name": check_id,
        "shortDescription": {"text": short},
        "fullDescription": {
            "text": f"Control {control or '(none)'}; Trust Services Criteria: "
            + (", ".join(criteria) or "none")
        },
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "control": control,
            "criteria": criteria,
            "severity": severity.value,
            "provider": provider,
            "security-severity": SECURITY_SEVERITY[severity],
            "tags": ["soc2", "compliance", *criteria],
        },
    }


def _result(f: Finding, rule_index: int, artifact_uri: str | None) -> dict[str, Any]:
    scope = scope_label(f.scope)
    parts = [f.provider or "-"]
    parts.extend(f"{k}={v}" for k, v in sorted(f.scope.items()))
    parts.append(f.resource_id or "-")
    location: dict[str, Any] = {
        "logicalLocations": [
            {
                "name": f.resource_id or scope or f.provider or "-",
                "fullyQualifiedName": "/".join(parts),
                "kind": "resource",
            }
        ]
    }
    if artifact_uri:
        location["physicalLocation"] = {
            "artifactLocation": {"uri": artifact_uri},
            "region": {"startLine": 1},
        }
    if f.status is Status.FAIL:
        text = f.message or f"{f.check_id} failed on {f.resource_id or scope or 'its scope'}"
        kind, level = "fail", LEVELS[f.severity]
    else:
        text = "Could not judge: " + (f.message or "unknown error")
        kind, level = "open", "none"
    properties: dict[str, Any] = {
        "status": f.status.value,
        "severity": f.severity.value,
        "provider": f.provider,
        "scope": dict(sorted(f.scope.items())),
        "resource_id": f.resource_id,
        "resource_type": f.resource_type,
        "criteria": list(f.criteria),
    }
    if f.evidence:
        properties["evidence"] = to_jsonable(f.evidence)
    return {
        "ruleId": f.check_id,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"soc2checksFinding/v1": fingerprint_hash(f)},
        "properties": properties,
    }


def _invocation(warnings: list[str]) -> dict[str, Any]:
    inv: dict[str, Any] = {"executionSuccessful": True}
    if warnings:
        inv["toolExecutionNotifications"] = [
            {"level": "warning", "message": {"text": w}} for w in warnings
        ]
    return inv
