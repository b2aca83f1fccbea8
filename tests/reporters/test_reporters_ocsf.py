"""OCSF Compliance Finding events: valid against the published OCSF 1.5.0 schema."""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Any

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest
from ocsf_json_schema import (  # type: ignore[import-untyped, unused-ignore]
    OcsfJsonSchemaEmbedded,
    get_ocsf_schema,
)

from soc2checks import Finding, RunResult, Severity, Status
from soc2checks.reporters import BUILTIN_REPORTERS, ocsf, sarif
from soc2checks.reporters._stream import Streaming


@cache
def _validator(profiles: tuple[str, ...]) -> Any:
    schema = OcsfJsonSchemaEmbedded(get_ocsf_schema(ocsf.OCSF_VERSION))
    doc = schema.get_class_schema("compliance_finding", list(profiles))
    return jsonschema.Draft202012Validator(doc)


def _errors(ev: dict[str, Any]) -> list[str]:
    profiles = tuple(ev.get("metadata", {}).get("profiles", []))
    return sorted(str(e.message) for e in _validator(profiles).iter_errors(ev))


def _cloudy() -> list[Finding]:
    return [
        Finding(
            check_id="gcp.storage.uniform-access",
            control_id="least-privilege",
            criteria=["CC6.3"],
            status=Status.FAIL,
            severity=Severity.LOW,
            provider="gcp",
            scope={"project": "acme-prod"},
            resource_id="//storage.googleapis.com/projects/_/buckets/b1",
            resource_type="storage.googleapis.com/Bucket",
            message="uniform access off",
            remediation="Turn on uniform bucket-level access.",
        ),
        Finding(
            check_id="azure.storage.https-only",
            control_id="encryption-in-transit",
            criteria=["CC6.7"],
            status=Status.PASS,
            severity=Severity.INFO,
            provider="azure",
            scope={"subscription": "0000-1111"},
            resource_id="/subscriptions/0000-1111/resourceGroups/rg/providers/x/sa1",
            resource_type="Microsoft.Storage/storageAccounts",
        ),
    ]


def test_every_event_validates_against_the_ocsf_schema(
    result: RunResult, findings: list[Finding], build: Any
) -> None:
    events = json.loads(ocsf.render(build(findings + _cloudy())))
    assert len(events) == len(result.findings) + 2
    for ev in events:
        assert _errors(ev) == [], ev["finding_info"]["title"]
        assert (ev["class_uid"], ev["type_uid"], ev["category_uid"]) == (2003, 200301, 2)
    profiled = {ev["unmapped"]["soc2checks"]["provider"] for ev in events if "cloud" in ev}
    assert profiled == {"aws", "gcp", "azure"}
    assert all(ev["metadata"].get("profiles") == ["cloud"] for ev in events if "cloud" in ev)


def test_schema_check_is_not_vacuous(result: RunResult) -> None:
    ev = json.loads(ocsf.render(result))[0]
    assert _errors(ev) == []
    bad = dict(ev, type_uid=200399 + 1)
    assert _errors(bad)
    cloud_less = {k: v for k, v in ev.items() if k != "cloud"}
    assert "cloud" in ev and _errors(cloud_less)  # the cloud profile makes it required
    extra = dict(ev, soc2checks_status="fail")
    assert _errors(extra)


def test_status_mapping_never_makes_an_error_a_pass(result: RunResult) -> None:
    by_status: dict[str, set[tuple[int, int]]] = {}
    for ev in json.loads(ocsf.render(result)):
        pair = (ev["compliance"]["status_id"], ev["status_id"])
        by_status.setdefault(ev["status_code"], set()).add(pair)
    assert by_status == {
        "pass": {(1, 1)},
        "fail": {(3, 1)},
        "error": {(2, 1)},
        "skip": {(99, 1)},
        "waived": {(3, 3)},
    }
    error = next(e for e in json.loads(ocsf.render(result)) if e["status_code"] == "error")
    assert "AccessDenied" in error["compliance"]["status_detail"]


def test_fields_carry_the_finding(result: RunResult) -> None:
    events = json.loads(ocsf.render(result))
    bob = next(e for e in events if e["resources"][0]["uid"].endswith("user/bob"))
    assert bob["compliance"]["standards"] == ["AICPA TSC 2017"]
    assert bob["compliance"]["control"] == "mfa-enforced"
    assert bob["compliance"]["requirements"] == ["CC6.1", "CC6.2"]
    assert bob["cloud"] == {"provider": "AWS", "account": {"uid": "111111111111"}}
    assert bob["resources"] == [
        {"uid": "arn:aws:iam::111111111111:user/bob", "type": "AWS::IAM::User"}
    ]
    assert bob["evidences"][0]["data"]["groups"] == ["Développeurs", "admins", "zeta"]
    assert bob["remediation"]["desc"].startswith("Enable an MFA device")
    assert (bob["severity_id"], bob["severity"]) == (4, "High")
    logs = next(e for e in events if e["resources"][0]["uid"] == "arn:aws:s3:::logs")
    assert logs["cloud"]["region"] == "eu-west-1"
    assert logs["resources"][0]["region"] == "eu-west-1"
    github = next(e for e in events if e["unmapped"]["soc2checks"]["provider"] == "github")
    assert "cloud" not in github and "profiles" not in github["metadata"]
    waived = next(e for e in events if e["status_code"] == "waived")
    assert "static marketing site" in waived["comment"]
    assert waived["unmapped"]["soc2checks"]["waiver"]["ticket"] == "SEC-42"
    passed = next(e for e in events if e["status_code"] == "pass" and e.get("cloud"))
    assert "remediation" not in passed


def test_uid_is_the_stable_fingerprint_shared_with_sarif(
    findings: list[Finding], build: Any
) -> None:
    one = json.loads(ocsf.render(build(findings, run_id="a")))
    two = json.loads(ocsf.render(build(list(reversed(findings)), run_id="b")))
    assert [e["finding_info"]["uid"] for e in one] == [e["finding_info"]["uid"] for e in two]
    assert len({e["finding_info"]["uid"] for e in one}) == len(one)
    log = json.loads(sarif.render(build(findings)))
    sarif_ids = {
        r["partialFingerprints"]["soc2checksFinding/v1"] for r in log["runs"][0]["results"]
    }
    assert sarif_ids <= {e["finding_info"]["uid"] for e in one}


def test_jsonl_is_one_valid_event_per_line_and_streams(result: RunResult) -> None:
    text = BUILTIN_REPORTERS["ocsf-jsonl"](result)
    lines = text.splitlines()
    assert [json.loads(line) for line in lines] == json.loads(ocsf.render(result))
    reporter = BUILTIN_REPORTERS["ocsf-jsonl"]
    assert isinstance(reporter, Streaming)
    out = io.StringIO()
    stream = reporter.start(out)
    for f in result.findings[:3]:
        stream.write(f)
        assert out.getvalue().count("\n") == result.findings.index(f) + 1
    stream.finish(result)
    for line in out.getvalue().splitlines():
        assert _errors(json.loads(line)) == []


@pytest.mark.parametrize("fmt", ["ocsf", "ocsf-jsonl"])
def test_formats_are_deterministic(fmt: str, findings: list[Finding], build: Any) -> None:
    a = BUILTIN_REPORTERS[fmt](build(findings))
    b = BUILTIN_REPORTERS[fmt](build(list(reversed(findings))))
    assert a == b
