"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure DevOps...).

One ``<testsuite>`` per control, one ``<testcase>`` per finding, named
``check_id[resource_id]``. ``fail`` gives ``<failure>``, ``error`` gives ``<error>``,
``skip`` and ``waived`` give ``<skipped>`` (a waiver's justification, approver and
expiry in its message); ``pass`` is a bare test case. Times are always 0, so the
output is deterministic.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from soc2checks._model import Finding, Status
from soc2checks.reporters._common import (
    counts,
    dumps_evidence,
    group_by_control,
    scope_label,
    sorted_findings,
    visible,
    waiver_text,
)

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import RunResult

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` (see ``visible``) and any
    other character XML 1.0 forbids replaced by U+FFFD (escaping is ET's)."""
    return _INVALID_XML.sub("\ufffd", visible(text))


def testcase_name(f: Finding) -> str:
    """``check_id[resource_id]`` (the scope stands in when there is no resource ID)."""
    return f"{f.check_id}[{f.resource_id or scope_label(f.scope) or '-'}]"


def render(result: RunResult, config: Config | None = None, **options: Any) -> str:
    """JUnit XML text. Options: ``suite_name`` (the ``<testsuites>`` name)."""
    name = str(options.get("suite_name", "soc2checks"))
    findings = sorted_findings(result.findings)
    root = ET.Element("testsuites", _counts_attrs(name, findings))
    for control_id, group in group_by_control(findings):
        suite = ET.SubElement(root, "testsuite", _counts_attrs(control_id or "(none)", group))
        criteria = sorted({c for f in group for c in f.criteria})
        if criteria:
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", {"name": "criteria", "value": ",".join(criteria)})
        for f in sorted_findings(group):
            _testcase(suite, f)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _counts_attrs(name: str, findings: list[Finding]) -> dict[str, str]:
    c = counts(findings)
    return {
        "name": xml_safe(name),
        "tests": str(c["total"]),
        "failures": str(c["fail"]),
        "errors": str(c["error"]),
        "skipped": str(c["skip"] + c["waived"]),
        "time": "0",
    }


def _testcase(suite: ET.Element, f: Finding) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": xml_safe(f.control_id or f.check_id),
            "name": xml_safe(testcase_name(f)),
            "time": "0",
        },
    )
    props = [
        ("status", f.status.value),
        ("severity", f.severity.value),
        ("criteria", ",".join(f.criteria)),
        ("provider", f.provider),
        ("scope", scope_label(f.scope)),
        ("resource_type", f.resource_type),
    ]
    holder = ET.SubElement(case, "properties")
    for key, value in props:
        if value:
            ET.SubElement(holder, "property", {"name": key, "value": xml_safe(value)})
    if f.status is Status.FAIL:
        el = ET.SubElement(case, "failure", {"message": xml_safe(f.message), "type": "fail"})
        el.text = xml_safe(_details(f))
    elif f.status is Status.ERROR:
        el = ET.SubElement(case, "error", {"message": xml_safe(f.message), "type": "error"})
        el.text = xml_safe(_details(f))
    elif f.status is Status.WAIVED:
        ET.SubElement(case, "skipped", {"message": xml_safe(waiver_text(f) or "waived")})
    elif f.status is Status.SKIP:
        ET.SubElement(case, "skipped", {"message": xml_safe(f.message or "not applicable")})


def _details(f: Finding) -> str:
    parts = [f.message]
    if f.scope:
        parts.append(f"scope: {scope_label(f.scope)}")
    if f.remediation:
        parts.append(f"remediation: {f.remediation}")
    if f.evidence:
        parts.append("evidence:\n" + dumps_evidence(f.evidence))
    return "\n".join(p for p in parts if p)
