"""SARIF 2.1.0: valid against the official schema, results for failures and errors only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest

from soc2checks import Finding, RunResult, Severity, Status
from soc2checks._config import Config
from soc2checks.reporters import sarif

SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))


def _log(result: RunResult, **options: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(sarif.render(result, **options))
    return doc


def test_validates_against_sarif_schema(result: RunResult) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA)
    for options in ({}, {"artifact_uri": "soc2checks.toml", "check_titles": {"x": "y"}}):
        doc = _log(result, **options)
        assert sorted(validator.iter_errors(doc), key=str) == []
        assert doc["version"] == "2.1.0"


def test_schema_check_is_not_vacuous(result: RunResult) -> None:
    doc = _log(result)
    doc["runs"][0]["results"][0]["level"] = "fatal"
    assert not jsonschema.Draft4Validator(SCHEMA).is_valid(doc)


def test_one_rule_per_check_and_results_only_for_fail_and_error(result: RunResult) -> None:
    run = _log(result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.check_id for f in result.findings})
    by_status = {
        (r["properties"]["status"], r["ruleId"], r["properties"]["resource_id"])
        for r in run["results"]
    }
    expected = {
        (f.status.value, f.check_id, f.resource_id)
        for f in result.findings
        if f.status.value in ("fail", "error")
    }
    assert by_status == expected
    assert len(run["results"]) == 4
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_rule_metadata(result: RunResult) -> None:
    rules = {r["id"]: r for r in _log(result)["runs"][0]["tool"]["driver"]["rules"]}
    mfa = rules["aws.iam.console-user-mfa"]
    assert mfa["properties"]["criteria"] == ["CC6.1", "CC6.2"]
    assert mfa["properties"]["severity"] == "high"
    assert mfa["properties"]["control"] == "mfa-enforced"
    assert mfa["help"]["text"] == "Enable an MFA device for the user."
    assert mfa["defaultConfiguration"]["level"] == "error"
    assert mfa["shortDescription"]["text"] == "aws.iam.console-user-mfa (mfa-enforced)"
    titled = _log(result, check_titles={"aws.iam.console-user-mfa": "Console users have MFA"})
    rule = titled["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["shortDescription"]["text"] == "Console users have MFA"


def test_levels_and_kinds(result: RunResult) -> None:
    results = _log(result)["runs"][0]["results"]
    got = {(r["ruleId"], r["kind"], r["level"]) for r in results}
    assert got == {
        ("aws.iam.console-user-mfa", "fail", "error"),  # high
        ("custom.unmapped", "fail", "error"),  # critical
        ("aws.s3.bucket-encryption", "open", "none"),  # could not judge
    }
    (err,) = [r for r in results if r["kind"] == "open"]
    assert err["message"]["text"].startswith("Could not judge: PermissionError")


def test_medium_and_info_map_to_warning_and_note(build: Callable[..., RunResult]) -> None:
    findings = [
        Finding(check_id="a.medium", status=Status.FAIL, severity=Severity.MEDIUM, resource_id="r"),
        Finding(check_id="b.low", status=Status.FAIL, severity=Severity.LOW, resource_id="r"),
        Finding(check_id="c.info", status=Status.FAIL, severity=Severity.INFO, resource_id="r"),
    ]
    levels = [r["level"] for r in _log(build(findings))["runs"][0]["results"]]
    assert levels == ["warning", "warning", "note"]


def test_logical_location_and_fingerprint(result: RunResult) -> None:
    results = _log(result)["runs"][0]["results"]
    (err,) = [r for r in results if r["ruleId"] == "aws.s3.bucket-encryption"]
    (loc,) = err["locations"]
    assert loc["logicalLocations"] == [
        {
            "name": "arn:aws:s3:::logs",
            "fullyQualifiedName": "aws/account=111111111111/region=eu-west-1/arn:aws:s3:::logs",
            "kind": "resource",
        }
    ]
    assert "physicalLocation" not in loc
    prints = {r["partialFingerprints"]["soc2checksFinding/v1"] for r in results}
    assert len(prints) == len(results)


def test_artifact_uri_from_option_or_config(
    result: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _log(result, artifact_uri="compliance/soc2checks.toml")
    for r in doc["runs"][0]["results"]:
        phys = r["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"]["uri"] == "compliance/soc2checks.toml"
    monkeypatch.chdir(tmp_path)

    def uris(config: Config) -> set[str | None]:
        log = json.loads(sarif.render(result, config))
        return {
            r["locations"][0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
            for r in log["runs"][0]["results"]
        }

    (tmp_path / "ci").mkdir()
    missing = Config(path=tmp_path / "ci" / "soc2checks.toml")
    assert uris(missing) == {None}  # never a file that does not exist
    (tmp_path / "ci" / "soc2checks.toml").write_text("")
    assert uris(missing) == {"ci/soc2checks.toml"}  # repository-relative, not just the name
    assert uris(Config()) == {None}
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert uris(missing) == {(tmp_path / "ci" / "soc2checks.toml").resolve().as_uri()}
    validator = jsonschema.Draft4Validator(SCHEMA)
    assert sorted(validator.iter_errors(json.loads(sarif.render(result, missing))), key=str) == []


def test_deterministic_apart_from_nothing(
    findings: list[Finding], build: Callable[..., RunResult]
) -> None:
    a = sarif.render(build(findings))
    later = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    b = sarif.render(build(list(reversed(findings)), run_id="other", started=later))
    assert a == b
    assert "run-0001" not in a


def test_run_warnings_become_notifications(result: RunResult) -> None:
    inv = _log(result)["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is True
    assert inv["toolExecutionNotifications"][0]["message"]["text"].startswith("waiver for")
