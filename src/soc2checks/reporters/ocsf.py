"""OCSF 1.5.0 Compliance Finding events (class 2003), for security lakes and SIEMs.

One event per finding: ``ocsf`` writes a JSON array, ``ocsf-jsonl`` one event per line
(streamed while the run goes). Every event validates against the OCSF 1.5.0 schema of
class ``compliance_finding``, with the ``cloud`` profile for findings of a cloud
provider (AWS, GCP, Azure). Status mapping (``compliance.status_id``):

======== ======================== ===============================================
ours     compliance.status_id     finding ``status_id``
======== ======================== ===============================================
pass     1 Pass                   1 New
fail     3 Fail                   1 New
error    2 Warning ("did not      1 New; ``compliance.status_detail`` carries the
         yield a result due to    reason. Never 1 Pass: an error is not a pass.
         missing information")
skip     99 Other ("Skipped")     1 New
waived   3 Fail                   3 Suppressed (the waiver is in ``comment`` and
                                  ``unmapped.soc2checks.waiver``)
======== ======================== ===============================================

``status_code`` always carries our own status (``pass``, ``fail``, ...).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, TextIO

from soc2checks._model import Finding, Severity, Status
from soc2checks.reporters._common import fingerprint_hash, sorted_findings, to_jsonable
from soc2checks.reporters._stream import StreamingReporter

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import RunResult

OCSF_VERSION = "1.5.0"
CLASS_UID = 2003
CATEGORY_UID = 2
ACTIVITY_CREATE = 1
TYPE_UID = CLASS_UID * 100 + ACTIVITY_CREATE  # 200301
STANDARD = "AICPA TSC 2017"

#: Providers whose findings get the OCSF ``cloud`` profile, with the OCSF provider name.
CLOUD_PROVIDERS: dict[str, str] = {"aws": "AWS", "gcp": "GCP", "azure": "Azure"}

#: Our status -> (compliance.status_id, compliance.status caption).
COMPLIANCE_STATUS: dict[Status, tuple[int, str]] = {
    Status.PASS: (1, "Pass"),
    Status.FAIL: (3, "Fail"),
    Status.ERROR: (2, "Warning"),
    Status.SKIP: (99, "Skipped"),
    Status.WAIVED: (3, "Fail"),
}

SEVERITY_ID: dict[Severity, tuple[int, str]] = {
    Severity.CRITICAL: (5, "Critical"),
    Severity.HIGH: (4, "High"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.LOW: (2, "Low"),
    Severity.INFO: (1, "Informational"),
}


def event(f: Finding, *, time_ms: int, tool_version: str) -> dict[str, Any]:
    """One finding as an OCSF Compliance Finding event (plain JSON data)."""
    comp_id, comp_caption = COMPLIANCE_STATUS[f.status]
    sev_id, sev_caption = SEVERITY_ID[f.severity]
    cloud = CLOUD_PROVIDERS.get(f.provider)
    compliance: dict[str, Any] = {
        "standards": [STANDARD],
        "requirements": list(f.criteria),
        "status_id": comp_id,
        "status": comp_caption,
        "status_code": f.status.value,
    }
    if f.control_id:
        compliance["control"] = f.control_id
    if f.status is Status.ERROR:
        compliance["status_detail"] = f.message or "the check could not judge"
    elif f.status is Status.SKIP and f.message:
        compliance["status_detail"] = f.message
    subject = f.resource_id or _scope_text(f.scope) or f.provider or "run"
    finding_info: dict[str, Any] = {
        "uid": fingerprint_hash(f),
        "title": f"{f.check_id} on {subject}",
        "types": ["SOC 2 check", f.check_id],
        "analytic": {"uid": f.check_id, "name": f.check_id, "type_id": 1, "type": "Rule"},
    }
    if f.message:
        finding_info["desc"] = f.message
    metadata: dict[str, Any] = {
        "version": OCSF_VERSION,
        "product": {
            "name": "soc2checks",
            "vendor_name": "soc2checks",
            "version": tool_version,
            "url_string": "https://pypi.org/project/soc2checks/",
        },
    }
    unmapped: dict[str, Any] = {"scope": dict(sorted(f.scope.items())), "provider": f.provider}
    ev: dict[str, Any] = {
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "type_uid": TYPE_UID,
        "type_name": "Compliance Finding: Create",
        "time": time_ms,
        "severity_id": sev_id,
        "severity": sev_caption,
        "status_id": 3 if f.status is Status.WAIVED else 1,
        "status": "Suppressed" if f.status is Status.WAIVED else "New",
        "status_code": f.status.value,
        "compliance": compliance,
        "finding_info": finding_info,
        "metadata": metadata,
    }
    if f.message:
        ev["message"] = f.message
    if cloud is not None:
        metadata["profiles"] = ["cloud"]
        ev["cloud"] = _cloud(cloud, f.scope)
    resource: dict[str, Any] = {"uid": f.resource_id} if f.resource_id else {}
    if f.resource_type:
        resource["type"] = f.resource_type
    if resource:
        if cloud is not None and "region" in f.scope:
            resource["region"] = f.scope["region"]
        ev["resources"] = [resource]
    if f.evidence:
        ev["evidences"] = [{"name": "resource attributes", "data": to_jsonable(f.evidence)}]
    if f.remediation and f.status in (Status.FAIL, Status.ERROR, Status.WAIVED):
        ev["remediation"] = {"desc": f.remediation}
    if f.waiver is not None:
        w = f.waiver
        ev["comment"] = (
            f"waived: {w.justification} (approved by {w.approved_by}, expires {w.expires})"
        )
        unmapped["waiver"] = w.model_dump(mode="json")
    ev["unmapped"] = {"soc2checks": unmapped}
    return ev


def _scope_text(scope: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(scope.items()))


def _cloud(provider: str, scope: dict[str, str]) -> dict[str, Any]:
    cloud: dict[str, Any] = {"provider": provider}
    account = scope.get("account") or scope.get("subscription")
    if account:
        cloud["account"] = {"uid": account}
    if "project" in scope:
        cloud["project_uid"] = scope["project"]
    if "region" in scope:
        cloud["region"] = scope["region"]
    if "organization" in scope:
        cloud["org"] = {"uid": scope["organization"]}
    return cloud


def _ms(value: dt.datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return int(value.timestamp() * 1000)


def events(result: RunResult) -> list[dict[str, Any]]:
    """Every finding of ``result`` as an event, in the documented finding order.

    ``time`` is the run's start time, in milliseconds since the epoch.
    """
    ms = _ms(result.run.started_at)
    return [
        event(f, time_ms=ms, tool_version=result.run.tool_version)
        for f in sorted_findings(result.findings)
    ]


def _dumps(ev: dict[str, Any], indent: int | None = None) -> str:
    return json.dumps(ev, indent=indent, sort_keys=True, ensure_ascii=False)


def render(result: RunResult, config: Config | None = None, **options: Any) -> str:
    """A JSON array of OCSF Compliance Finding events (keys sorted, 2-space indent)."""
    return json.dumps(events(result), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_jsonl(result: RunResult, config: Config | None = None, **options: Any) -> str:
    """One OCSF Compliance Finding event per line, in the documented finding order."""
    return "".join(_dumps(ev) + "\n" for ev in events(result))


class _JsonlStream:
    def __init__(self, out: TextIO, config: Config | None = None, **options: Any) -> None:
        from soc2checks import __version__

        self._out = out
        self._version = __version__
        self._ms = _ms(dt.datetime.now(dt.timezone.utc))

    def write(self, finding: Finding) -> None:
        ev = event(finding, time_ms=self._ms, tool_version=self._version)
        self._out.write(_dumps(ev) + "\n")

    def finish(self, result: RunResult) -> None:
        self._out.flush()


#: ``ocsf-jsonl``: whole text from a result, or streamed while the run goes.
render_jsonl_streaming = StreamingReporter(render_jsonl, _JsonlStream)
