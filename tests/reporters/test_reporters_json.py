"""The findings JSON format: schema, determinism, order, evidence, reading back."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest

import soc2checks.reporters
from soc2checks import Finding, RunResult, Status
from soc2checks.reporters import json as json_reporter
from soc2checks.reporters.json import FindingsFormatError, load_findings_json

SCHEMA_PATH = Path(soc2checks.reporters.__file__).parent / "findings-v1.schema.json"


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_output_validates_against_shipped_schema(result: RunResult) -> None:
    doc = json.loads(json_reporter.render(result))
    errors = sorted(_validator().iter_errors(doc), key=str)
    assert errors == []
    assert doc["schema"] == "soc2checks/findings/v1"


def test_schema_rejects_what_the_format_forbids(result: RunResult) -> None:
    validator = _validator()
    doc = json.loads(json_reporter.render(result))
    doc["findings"][0]["status"] = "passed"
    assert not validator.is_valid(doc)
    doc = json.loads(json_reporter.render(result))
    del doc["findings"][0]["waiver"]
    assert not validator.is_valid(doc)
    doc = json.loads(json_reporter.render(result))
    doc["run"]["started_at"] = "yesterday"
    assert not validator.is_valid(doc)


def test_schema_document_is_the_shipped_file() -> None:
    assert json_reporter.schema_document() == json.loads(SCHEMA_PATH.read_text("utf-8"))


def test_text_is_sorted_indented_and_ends_with_newline(result: RunResult) -> None:
    text = json_reporter.render(result)
    again = json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert text == again
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "sécurité-安全" in text


def test_findings_sorted_by_check_then_scope_then_resource(result: RunResult) -> None:
    found = json.loads(json_reporter.render(result))["findings"]
    keys = [(f["check_id"], sorted(f["scope"].items()), f["resource_id"]) for f in found]
    assert keys == sorted(keys)
    mfa = [f["resource_id"] for f in found if f["check_id"] == "aws.iam.console-user-mfa"]
    # account 000... sorts before 111..., then alice before bob
    assert mfa == [
        "arn:aws:iam::000000000000:user/carol",
        "arn:aws:iam::111111111111:user/alice",
        "arn:aws:iam::111111111111:user/bob",
    ]
    assert found[0]["check_id"] == "aws.iam.console-user-mfa"
    assert found[-1]["check_id"] == "github.org.2fa-required"


def test_byte_identical_for_same_findings_apart_from_run(
    findings: list[Finding], build: Callable[..., RunResult]
) -> None:
    first = build(findings)
    shuffled = list(findings)
    random.Random(7).shuffle(shuffled)
    later = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)
    second = build(shuffled, run_id="run-0002", started=later, warnings=[])
    a, b = json_reporter.render(first), json_reporter.render(second)
    assert a != b  # the run block differs
    da, db = json.loads(a), json.loads(b)
    assert da["run"] != db["run"]
    del da["run"], db["run"]
    assert json.dumps(da, sort_keys=True) == json.dumps(db, sort_keys=True)
    assert json_reporter.render(first) == a  # same input, same bytes


def test_summary_counts_the_findings(result: RunResult) -> None:
    doc = json.loads(json_reporter.render(result))
    assert doc["summary"] == {"pass": 2, "fail": 3, "error": 1, "skip": 1, "waived": 1, "total": 8}
    statuses = [f["status"] for f in doc["findings"]]
    assert {s: statuses.count(s) for s in set(statuses)} == {
        k: v for k, v in doc["summary"].items() if k != "total" and v
    }


def test_run_block_in_utc(result: RunResult) -> None:
    run = json.loads(json_reporter.render(result))["run"]
    assert run["started_at"] == "2026-11-28T10:00:00Z"  # 12:00 at UTC+2
    assert run["finished_at"] == "2026-11-28T10:00:42.000005Z"
    assert run["plugins"] == [
        {"name": "aws", "distribution": "soc2checks", "version": "0.1.0"},
        {"name": "local", "distribution": None, "version": None},
    ]
    assert run["warnings"] == ["waiver for 'aws.ec2.*' expired on 2026-01-31"]
    assert run["id"] == "run-0001" and run["config_digest"].startswith("sha256:")


def _bob(doc: dict[str, Any]) -> dict[str, Any]:
    (bob,) = [f for f in doc["findings"] if f["resource_id"].endswith("user/bob")]
    found: dict[str, Any] = bob
    return found


def test_evidence_becomes_plain_json(result: RunResult) -> None:
    bob = _bob(json.loads(json_reporter.render(result)))
    assert bob["evidence"] == {
        "mfa_active": False,
        "password_last_used": "2026-11-01",
        "created": "2024-01-02T03:04:05+00:00",
        "groups": ["Développeurs", "admins", "zeta"],
        "tags": [{"key": "owner", "value": "Zoë <ops>"}],
    }
    assert bob["criteria"] == ["CC6.1", "CC6.2"]
    assert bob["waiver"] is None


def test_waiver_is_an_object(result: RunResult) -> None:
    doc = json.loads(json_reporter.render(result))
    (waived,) = [f for f in doc["findings"] if f["status"] == "waived"]
    assert waived["waiver"] == {
        "check": "aws.s3.*",
        "resource": "arn:aws:s3:::public-website-*",
        "justification": "static marketing site, no customer <data> & no PII",
        "approved_by": "ciso@example.com",
        "expires": "2027-03-31",
        "risk": None,
        "ticket": "SEC-42",
    }


def test_unserialisable_evidence_values_are_made_json(
    build: Callable[..., RunResult],
) -> None:
    class Odd:
        def __str__(self) -> str:
            return "odd-object"

    f = Finding(
        check_id="x.y",
        status=Status.FAIL,
        evidence={
            "nan": float("nan"),
            "raw": b"\x00\xff",
            "odd": Odd(),
            "n": {3: frozenset({2, 1})},
        },
    )
    doc = json.loads(json_reporter.render(build([f])))
    assert doc["findings"][0]["evidence"] == {
        "nan": "nan",
        "raw": "AP8=",
        "odd": "odd-object",
        "n": {"3": [1, 2]},
    }


def test_round_trip_through_load(result: RunResult) -> None:
    text = json_reporter.render(result)
    back = load_findings_json(text)
    assert back.summary.as_dict() == result.summary.as_dict()
    assert [f.fingerprint() for f in back.findings] == sorted(
        f.fingerprint() for f in result.findings
    )
    assert back.run.id == "run-0001"
    assert back.run.started_at == result.run.started_at
    waived = [f for f in back.findings if f.status is Status.WAIVED]
    assert waived[0].waiver is not None and waived[0].waiver.expires == dt.date(2027, 3, 31)
    assert json_reporter.render(back) == text


def test_load_accepts_bytes_and_ignores_unknown_keys(result: RunResult) -> None:
    doc = json.loads(json_reporter.render(result))
    doc["future_field"] = 1
    doc["findings"][0]["future_field"] = "x"
    back = load_findings_json(json.dumps(doc).encode("utf-8"))
    assert len(back.findings) == len(result.findings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "baseline.json: not valid JSON"),
        ("[]", "baseline.json: expected a JSON object"),
        ('{"schema": "other/v9", "findings": []}', "schema is 'other/v9'"),
        ('{"schema": "soc2checks/findings/v1", "findings": {}}', "'findings' must be a list"),
    ],
)
def test_load_rejects_other_documents(text: str, expected: str) -> None:
    with pytest.raises(FindingsFormatError, match=r"^baseline\.json: ") as info:
        load_findings_json(text, source="baseline.json")
    assert expected in str(info.value)


def test_load_names_the_bad_field(result: RunResult) -> None:
    doc = json.loads(json_reporter.render(result))
    doc["findings"][2]["status"] = "maybe"
    with pytest.raises(FindingsFormatError, match=r"^b\.json: status: "):
        load_findings_json(json.dumps(doc), source="b.json")
