"""OSCAL assessment results: built with trestle's models, read back by trestle's reader."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("trestle", reason="compliance-trestle comes with the [test] extra")

from trestle.oscal.assessment_plan import AssessmentPlan
from trestle.oscal.assessment_results import AssessmentResults

from soc2checks import Finding, RunResult, Status
from soc2checks.reporters import BUILTIN_REPORTERS, oscal
from soc2checks.reporters._common import fingerprint_hash


def _read(tmp_path: Path, text: str, model: Any, name: str) -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return model.oscal_read(path)


def test_round_trips_through_trestles_reader(result: RunResult, tmp_path: Path) -> None:
    text = BUILTIN_REPORTERS["oscal"](result)
    ar = _read(tmp_path, text, AssessmentResults, "ar.json")
    assert isinstance(ar, AssessmentResults)
    again = json.dumps(json.loads(ar.oscal_serialize_json()), indent=2, sort_keys=True)
    assert json.loads(again) == json.loads(text)
    doc = json.loads(text)["assessment-results"]
    assert doc["metadata"]["oscal-version"] == oscal.oscal_version()
    assert len(doc["results"]) == 1


def test_a_broken_document_is_rejected_by_the_reader(result: RunResult, tmp_path: Path) -> None:
    doc = json.loads(oscal.render(result))
    doc["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] = "ok"
    with pytest.raises(Exception, match="state"):
        _read(tmp_path, json.dumps(doc), AssessmentResults, "bad.json")


def test_observations_are_the_evidence(result: RunResult) -> None:
    res = json.loads(oscal.render(result))["assessment-results"]["results"][0]
    observations = res["observations"]
    assert len(observations) == len(result.findings)
    assert all(o["methods"] == ["TEST"] and o["types"] == ["finding"] for o in observations)
    collected = {dt.datetime.fromisoformat(o["collected"]) for o in observations}
    assert collected == {result.run.finished_at.replace(microsecond=0)}
    bob = next(o for o in observations if o["title"].endswith("user/bob"))
    props = {p["name"]: p["value"] for p in bob["props"]}
    bob_finding = next(f for f in result.findings if f.resource_id.endswith("user/bob"))
    assert props == {
        "status": "fail",
        "check-id": "aws.iam.console-user-mfa",
        "control-id": "mfa-enforced",
        "severity": "high",
        "provider": "aws",
        "fingerprint": fingerprint_hash(bob_finding),
    }
    assert "Développeurs" in bob["relevant-evidence"][0]["description"]
    assert "<script>" in bob["description"]  # JSON text, kept verbatim
    inventory = {i["uuid"]: i for i in res["local-definitions"]["inventory-items"]}
    assert inventory[bob["subjects"][0]["subject-uuid"]]["description"].endswith("user/bob")
    waived = next(o for o in observations if "waived" in str(o["props"]))
    assert "static marketing site" in waived["remarks"]


def test_findings_per_criterion_with_objective_status(result: RunResult) -> None:
    res = json.loads(oscal.render(result))["assessment-results"]["results"][0]
    by_target = {f["target"]["target-id"]: f for f in res["findings"]}
    assert list(by_target) == ["cc1.1", "cc5.3", "cc6.1", "cc6.2", "cc6.7"]
    states = {k: (v["target"]["status"]["state"], v["target"]["status"]["reason"])
              for k, v in by_target.items()}  # fmt: skip
    assert states == {
        "cc1.1": ("satisfied", "pass"),
        "cc5.3": ("satisfied", "pass"),
        "cc6.1": ("not-satisfied", "fail"),
        "cc6.2": ("not-satisfied", "fail"),
        "cc6.7": ("not-satisfied", "other"),  # an error and a waiver: never satisfied
    }
    obs = {o["uuid"] for o in res["observations"]}
    related = [r["observation-uuid"] for r in by_target["cc6.1"]["related-observations"]]
    assert set(related) <= obs
    assert len(related) == sum("CC6.1" in f.criteria for f in result.findings)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.PASS, Status.SKIP], ("satisfied", "pass")),
        ([Status.PASS, Status.ERROR], ("not-satisfied", "other")),
        ([Status.ERROR, Status.FAIL], ("not-satisfied", "fail")),
        ([Status.WAIVED], ("satisfied", "pass")),
        ([Status.SKIP, Status.SKIP], ("not-satisfied", "other")),
    ],
)
def test_objective_status_rules(statuses: list[Status], expected: tuple[str, str]) -> None:
    state, reason, _ = oscal.objective_status(Finding(status=s) for s in statuses)
    assert (state, reason) == expected


def test_plan_ships_alongside_and_inline(result: RunResult, tmp_path: Path) -> None:
    plan_text = BUILTIN_REPORTERS["oscal-plan"](result)
    plan = _read(tmp_path, plan_text, AssessmentPlan, "ap.json")
    assert isinstance(plan, AssessmentPlan)
    ar = json.loads(oscal.render(result))["assessment-results"]
    href = ar["import-ap"]["href"]
    (resource,) = [r for r in ar["back-matter"]["resources"] if "#" + r["uuid"] == href]
    assert resource["rlinks"][0]["href"] == oscal.PLAN_FILE
    assert base64.b64decode(resource["base64"]["value"]).decode() == plan_text
    ap = json.loads(plan_text)["assessment-plan"]
    selected = [
        c["control-id"]
        for c in ap["reviewed-controls"]["control-selections"][0]["include-controls"]
    ]
    assert selected == ["cc1.1", "cc5.3", "cc6.1", "cc6.2", "cc6.7"]


def test_deterministic_uuids(findings: list[Finding], build: Any) -> None:
    a = oscal.render(build(findings))
    assert a == oscal.render(build(list(reversed(findings))))
    other = oscal.render(build(findings, run_id="run-0002"))
    assert (
        json.loads(a)["assessment-results"]["uuid"]
        != json.loads(other)["assessment-results"]["uuid"]
    )


def test_an_empty_run_is_still_a_valid_document(build: Any, tmp_path: Path) -> None:
    text = oscal.render(build([]))
    assert isinstance(_read(tmp_path, text, AssessmentResults, "empty.json"), AssessmentResults)
