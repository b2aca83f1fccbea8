"""JUnit XML: parses, a suite per control, counts match, escaping survives."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable

from soc2checks import Finding, RunResult, Status
from soc2checks.reporters import junit
from soc2checks.reporters._common import waiver_text


def _root(result: RunResult) -> ET.Element:
    text = junit.render(result)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_suite_per_control_and_counts(result: RunResult) -> None:
    root = _root(result)
    assert root.tag == "testsuites"
    status = Counter(f.status.value for f in result.findings)
    assert root.get("tests") == str(len(result.findings))
    assert root.get("failures") == str(status["fail"])
    assert root.get("errors") == str(status["error"])
    assert root.get("skipped") == str(status["skip"] + status["waived"])
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    assert names == ["(none)", "encryption-at-rest", "mfa-enforced", "policies-reviewed"]
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))
        assert suite.get("errors") == str(len(suite.findall("testcase/error")))
        assert suite.get("skipped") == str(len(suite.findall("testcase/skipped")))
    assert len(root.findall(".//testcase")) == len(result.findings)


def test_testcase_names_and_elements(result: RunResult) -> None:
    root = _root(result)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    bob = cases["aws.iam.console-user-mfa[arn:aws:iam::111111111111:user/bob]"]
    failure = bob.find("failure")
    assert failure is not None
    original = next(f for f in result.findings if f.resource_id.endswith("user/bob"))
    # special characters round-trip; control characters are shown as \xNN
    expected = original.message.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    assert failure.get("message") == expected
    assert failure.text is not None and "remediation: Enable an MFA device" in failure.text
    assert '"password_last_used": "2026-11-01"' in failure.text
    err = cases["aws.s3.bucket-encryption[arn:aws:s3:::logs]"].find("error")
    assert err is not None and "AccessDenied" in (err.get("message") or "")
    waived = cases["aws.s3.public-access-blocked[arn:aws:s3:::public-website-prod]"]
    skipped = waived.find("skipped")
    waived_finding = next(f for f in result.findings if f.status.value == "waived")
    assert skipped is not None and skipped.get("message") == waiver_text(waived_finding)
    assert "ciso@example.com" in (skipped.get("message") or "")
    skip = cases["github.org.2fa-required[acme]"].find("skipped")
    assert (
        skip is not None and skip.get("message") == "organization is on a plan without this setting"
    )
    passed = cases["aws.iam.console-user-mfa[arn:aws:iam::111111111111:user/alice]"]
    assert [c.tag for c in passed] == ["properties"]
    assert "custom.unmapped[-]" in cases


def test_resource_less_case_named_by_scope(build: Callable[..., RunResult]) -> None:
    f = Finding(check_id="github.org.x", control_id="c", scope={"org": "acme"}, status=Status.FAIL)
    case = _root(build([f])).find(".//testcase")
    assert case is not None and case.get("name") == "github.org.x[org=acme]"


def test_deterministic(result: RunResult) -> None:
    assert junit.render(result) == junit.render(
        result.model_copy(update={"findings": list(reversed(result.findings))})
    )
