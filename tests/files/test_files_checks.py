"""Every ``files`` check, called as a plain function on resources read from tmp_path."""

from __future__ import annotations

import pytest

from soc2checks import Finding, Status
from soc2checks._api import Skipped
from soc2checks_controls.documented_policies import (
    REQUIRED_POLICIES,
    files_policy_metadata,
    files_policy_reviewed,
    files_required_policies_present,
)
from soc2checks_controls.incident_response import files_ir_exercise_recorded
from soc2checks_controls.recovery_testing import files_dr_test_recorded
from soc2checks_controls.risk_assessment import files_risk_complete, files_risk_register_reviewed
from soc2checks_controls.vendor_management import (
    files_vendor_inventory_present,
    files_vendor_reviewed,
)
from soc2checks_files.models import MalformedFileError, utc_today

from .conftest import Folder, ago, front_matter


def statuses(findings: list[Finding]) -> dict[str, Status]:
    return {f.resource_id: f.status for f in findings}


# --- files.policy.required-present -------------------------------------------------


def required(folder: Folder, **params: object) -> list[Finding]:
    return list(files_required_policies_present(folder.policies(), folder.files_root(), **params))  # type: ignore[arg-type]


def test_required_present_passes_when_every_policy_exists(folder: Folder) -> None:
    for name in REQUIRED_POLICIES:
        folder.policy(name)
    findings = required(folder)
    assert len(findings) == len(REQUIRED_POLICIES) == 15
    assert {f.status for f in findings} == {Status.PASS}


def test_required_present_fails_per_missing_policy(folder: Folder) -> None:
    folder.policy("access-control")
    folder.policy("infosec", id="information-security")
    findings = required(
        folder, required=["access-control", "Information Security", "acceptable-use"]
    )
    assert statuses(findings) == {
        "policies/access-control.md": Status.PASS,
        "policies/infosec.md": Status.PASS,
        "policies/acceptable-use.md": Status.FAIL,
    }
    fail = findings[-1]
    assert fail.message.startswith(
        "no acceptable-use policy in compliance/policies: expected "
        "compliance/policies/acceptable-use.md"
    )


def test_required_present_fails_on_a_draft(folder: Folder) -> None:
    folder.policy("access-control", status="draft")
    (finding,) = required(folder, required=["access-control"])
    assert finding.status is Status.FAIL
    assert "is draft, not in force" in finding.message


def test_required_present_with_no_policies_folder_fails_every_name(folder: Folder) -> None:
    findings = required(folder)
    assert [f.status for f in findings] == [Status.FAIL] * len(REQUIRED_POLICIES)


def test_required_present_skips_when_nothing_is_required(folder: Folder) -> None:
    with pytest.raises(Skipped, match="no required policies"):
        required(folder, required=[])


def test_required_present_errors_when_two_files_claim_a_name(folder: Folder) -> None:
    folder.policy("access-control")
    folder.policy("iam", id="access-control")
    (finding,) = required(folder, required=["access-control"])
    assert finding.status is Status.ERROR
    assert "compliance/policies/access-control.md, compliance/policies/iam.md" in finding.message


def test_required_present_counts_a_policy_with_a_bad_date(folder: Folder) -> None:
    folder.policy("access-control", last_reviewed="someday")
    (finding,) = required(folder, required=["access-control"])
    assert finding.status is Status.PASS


# --- files.policy.metadata ---------------------------------------------------------


def test_metadata_passes(folder: Folder) -> None:
    folder.policy("p")
    assert files_policy_metadata(folder.policies()[0]) is None


def test_metadata_fails_naming_missing_fields(folder: Folder) -> None:
    folder.policy("p", approved_by=None, version='""')
    with pytest.raises(AssertionError, match=r"p\.md front matter lacks approved_by, version$"):
        files_policy_metadata(folder.policies()[0])


def test_metadata_fails_without_front_matter(folder: Folder) -> None:
    folder.write("policies/p.md", "# Policy\n\nNo front matter.\n")
    with pytest.raises(AssertionError, match="has no YAML front matter"):
        files_policy_metadata(folder.policies()[0])


def test_metadata_fields_are_a_tunable(folder: Folder) -> None:
    folder.policy("p")
    with pytest.raises(AssertionError, match="lacks classification"):
        files_policy_metadata(folder.policies()[0], required_fields=("owner", "classification"))
    folder.policy("p", classification="internal")
    files_policy_metadata(folder.policies()[0], required_fields=("owner", "classification"))


def test_metadata_skips_retired_policy(folder: Folder) -> None:
    folder.policy("p", status="Retired", owner=None)
    with pytest.raises(Skipped, match="is Retired"):
        files_policy_metadata(folder.policies()[0])


def test_metadata_errors_on_malformed_front_matter(folder: Folder) -> None:
    folder.write("policies/p.md", "---\nowner: Dana\n  version: 1\n: :\n---\n")
    with pytest.raises(MalformedFileError, match=r"^compliance/policies/p\.md:\d+: invalid YAML"):
        files_policy_metadata(folder.policies()[0])


def test_metadata_errors_on_bad_date(folder: Folder) -> None:
    folder.policy("p", last_reviewed="2026-02-30")
    with pytest.raises(MalformedFileError, match=r"compliance/policies/p\.md:5: last_reviewed"):
        files_policy_metadata(folder.policies()[0])


# --- files.policy.reviewed ---------------------------------------------------------


@pytest.mark.parametrize("days", [0, 200, 365])
def test_reviewed_passes_within_max_age(folder: Folder, days: int) -> None:
    folder.policy("p", last_reviewed=ago(days))
    assert files_policy_reviewed(folder.policies()[0], utc_today()) is None


def test_reviewed_fails_when_stale(folder: Folder) -> None:
    folder.policy("p", last_reviewed=ago(366))
    with pytest.raises(AssertionError, match=r"366 days ago \(limit: 365 days\)"):
        files_policy_reviewed(folder.policies()[0], utc_today())


def test_reviewed_max_age_is_a_tunable(folder: Folder) -> None:
    folder.policy("p", last_reviewed=ago(200))
    with pytest.raises(AssertionError, match="limit: 180 days"):
        files_policy_reviewed(folder.policies()[0], utc_today(), max_age_days=180)


def test_reviewed_fails_without_date(folder: Folder) -> None:
    folder.policy("p", last_reviewed=None)
    with pytest.raises(AssertionError, match="has no last_reviewed date"):
        files_policy_reviewed(folder.policies()[0], utc_today())


def test_reviewed_tolerates_tomorrow_but_not_later(folder: Folder) -> None:
    folder.policy("p", last_reviewed=ago(-1))
    files_policy_reviewed(folder.policies()[0], utc_today())
    folder.policy("p", last_reviewed=ago(-30))
    with pytest.raises(AssertionError, match="is in the future"):
        files_policy_reviewed(folder.policies()[0], utc_today())


def test_reviewed_skips_draft(folder: Folder) -> None:
    folder.policy("p", status="draft", last_reviewed=ago(900))
    with pytest.raises(Skipped, match="is draft"):
        files_policy_reviewed(folder.policies()[0], utc_today())


def test_reviewed_errors_on_bad_date_but_not_on_other_bad_fields(folder: Folder) -> None:
    folder.policy("p", last_reviewed="last spring")
    with pytest.raises(MalformedFileError, match="last_reviewed 'last spring' is not a date"):
        files_policy_reviewed(folder.policies()[0], utc_today())
    folder.policy("p", title="[a, b]")
    files_policy_reviewed(
        folder.policies()[0], utc_today()
    )  # a list title does not stop this check


def test_one_bad_policy_does_not_hide_the_others(folder: Folder) -> None:
    folder.policy("a", last_reviewed=ago(10))
    folder.write("policies/b.md", "---\nowner: [\n---\n")
    folder.policy("c", last_reviewed=ago(900))
    a, b, c = folder.policies()
    files_policy_reviewed(a, utc_today())
    with pytest.raises(MalformedFileError):
        files_policy_reviewed(b, utc_today())
    with pytest.raises(AssertionError):
        files_policy_reviewed(c, utc_today())


# --- files.risk-register.present-and-reviewed ---------------------------------------

CSV_HEADER = "id,title,owner,likelihood,impact,treatment\n"


def test_register_passes_csv(folder: Folder) -> None:
    folder.write(
        "risk-register.csv",
        f"# last_reviewed: {ago(100)}\n{CSV_HEADER}R-1,Theft,Ana,3,4,mitigate\n",
    )
    assert files_risk_register_reviewed(folder.register(), utc_today()) is None


def test_register_passes_yaml(folder: Folder) -> None:
    folder.write(
        "risk-register.yaml",
        f"last_reviewed: {ago(10)}\nrisks:\n  - id: R-1\n    title: Theft\n",
    )
    files_risk_register_reviewed(folder.register(), utc_today())


def test_register_fails_when_missing(folder: Folder) -> None:
    with pytest.raises(AssertionError) as info:
        files_risk_register_reviewed(folder.register(), utc_today())
    assert str(info.value) == (
        "no risk register: expected compliance/risk-register.csv or "
        "compliance/risk-register.yaml or compliance/risk-register.yml"
    )


def test_register_fails_when_stale(folder: Folder) -> None:
    folder.write(
        "risk-register.csv", f"# last_reviewed: {ago(400)}\n{CSV_HEADER}R-1,a,b,1,1,accept\n"
    )
    with pytest.raises(AssertionError, match="400 days ago"):
        files_risk_register_reviewed(folder.register(), utc_today())
    files_risk_register_reviewed(folder.register(), utc_today(), max_age_days=500)


def test_register_fails_without_review_date(folder: Folder) -> None:
    folder.write("risk-register.csv", f"{CSV_HEADER}R-1,a,b,1,1,accept\n")
    with pytest.raises(AssertionError, match="'# last_reviewed: YYYY-MM-DD' line above"):
        files_risk_register_reviewed(folder.register(), utc_today())


def test_register_fails_when_empty(folder: Folder) -> None:
    folder.write("risk-register.yaml", f"last_reviewed: {ago(1)}\nrisks: []\n")
    with pytest.raises(AssertionError, match="lists no risks"):
        files_risk_register_reviewed(folder.register(), utc_today())


def test_register_skips_when_kept_elsewhere(folder: Folder) -> None:
    folder.set_config('risk_register = ""')
    with pytest.raises(Skipped, match="not kept in this folder"):
        files_risk_register_reviewed(folder.register(), utc_today())


def test_register_errors_on_bad_review_date(folder: Folder) -> None:
    folder.write(
        "risk-register.csv", f"# last_reviewed: 01/02/2026\n{CSV_HEADER}R-1,a,b,1,1,accept\n"
    )
    with pytest.raises(MalformedFileError, match=r"compliance/risk-register\.csv:1: last_reviewed"):
        files_risk_register_reviewed(folder.register(), utc_today())


def test_register_errors_on_yaml_syntax(folder: Folder) -> None:
    folder.write("risk-register.yaml", "risks:\n  - id: R-1\n   title: bad indent\n")
    with pytest.raises(MalformedFileError, match=r"risk-register\.yaml:\d+: invalid YAML"):
        files_risk_register_reviewed(folder.register(), utc_today())


# --- files.risk-register.complete --------------------------------------------------


def risks(folder: Folder, rows: str) -> list:  # type: ignore[type-arg]
    folder.write(
        "risk-register.csv", f"# last_reviewed: {ago(1)}\n{CSV_HEADER.rstrip()},status\n{rows}"
    )
    return folder.risks()


def test_complete_passes(folder: Folder) -> None:
    (risk,) = risks(folder, "R-1,Theft,Ana,3,4,Mitigate,open\n")
    assert files_risk_complete(risk) is None


def test_complete_fails_naming_missing_fields(folder: Folder) -> None:
    good, bad = risks(folder, "R-1,Theft,Ana,3,4,mitigate,\nR-2,Loss,,2,,,open\n")
    files_risk_complete(good)
    with pytest.raises(AssertionError) as info:
        files_risk_complete(bad)
    assert str(info.value) == (
        "risk R-2 (compliance/risk-register.csv:4) has no owner, impact, treatment"
    )


def test_complete_fails_on_unknown_treatment_unless_any_is_accepted(folder: Folder) -> None:
    (risk,) = risks(folder, "R-1,Theft,Ana,3,4,ignore,\n")
    with pytest.raises(AssertionError, match="treatment 'ignore' is not one of mitigate"):
        files_risk_complete(risk)
    files_risk_complete(risk, treatments=())


def test_complete_fails_without_id(folder: Folder) -> None:
    (risk,) = risks(folder, ",Theft,Ana,3,4,mitigate,\n")
    assert risk.resource_id == "risk-register.csv#line-3"
    with pytest.raises(AssertionError, match=r"risk-register\.csv:3: the risk has no id"):
        files_risk_complete(risk)


def test_complete_skips_closed_risk(folder: Folder) -> None:
    (risk,) = risks(folder, "R-1,Theft,,,,,closed\n")
    with pytest.raises(Skipped, match="R-1 is closed"):
        files_risk_complete(risk)


def test_complete_errors_on_bad_row_only(folder: Folder) -> None:
    first, bad, last = risks(
        folder,
        "R-1,Theft,Ana,3,4,mitigate,\nR-2,Theft, again,Ana,3,4,mitigate,\nR-3,x,y,1,1,avoid,\n",
    )
    files_risk_complete(first)
    files_risk_complete(last)
    with pytest.raises(MalformedFileError, match=r"^compliance/risk-register\.csv:4: expected 7"):
        files_risk_complete(bad)


def test_complete_errors_on_duplicate_id(folder: Folder) -> None:
    _, dup = risks(folder, "R-1,a,b,1,1,avoid,\nR-1,c,d,1,1,avoid,\n")
    with pytest.raises(MalformedFileError, match="id 'R-1' is used twice"):
        files_risk_complete(dup)


# --- files.records.dr-test and files.records.ir-exercise ----------------------------

RECORD_CHECKS = [
    (files_dr_test_recorded, "disaster-recovery-test", "disaster-recovery test"),
    (files_ir_exercise_recorded, "incident-response-exercise", "incident-response exercise"),
]


def judge_records(check, folder: Folder, **params: object) -> list[Finding]:  # type: ignore[no-untyped-def]
    return list(check(folder.records(), folder.files_root(), utc_today(), **params))


@pytest.mark.parametrize(("check", "kind", "label"), RECORD_CHECKS)
def test_record_passes_with_recent_complete_record(check, kind, label, folder: Folder) -> None:  # type: ignore[no-untyped-def]
    folder.record("old", type=kind, date=ago(500))
    folder.record("new", type=kind, date=ago(100))
    folder.record("other", type="access-review", date=ago(1))
    (finding,) = judge_records(check, folder)
    assert finding.status is Status.PASS
    assert finding.resource_id == "records/new.md"
    assert finding.message == f"{label} on {ago(100)} recorded in compliance/records/new.md"


@pytest.mark.parametrize(("check", "kind", "label"), RECORD_CHECKS)
def test_record_fails_when_the_latest_is_too_old(check, kind, label, folder: Folder) -> None:  # type: ignore[no-untyped-def]
    folder.record("old", type=kind, date=ago(366))
    (finding,) = judge_records(check, folder)
    assert finding.status is Status.FAIL
    assert finding.resource_id == "records"
    assert finding.message == (
        f"no {label} record dated within 365 days in compliance/records; the latest, "
        f"compliance/records/old.md, is dated {ago(366)} (366 days ago)"
    )
    (finding,) = judge_records(check, folder, max_age_days=400)
    assert finding.status is Status.PASS


@pytest.mark.parametrize(("check", "kind", "label"), RECORD_CHECKS)
def test_record_fails_with_no_records_at_all(check, kind, label, folder: Folder) -> None:  # type: ignore[no-untyped-def]
    (finding,) = judge_records(check, folder)
    assert finding.status is Status.FAIL
    assert finding.message == f"no {label} record dated within 365 days in compliance/records"


@pytest.mark.parametrize(("check", "kind", "label"), RECORD_CHECKS)
def test_record_fails_when_recent_one_lacks_outcome(check, kind, label, folder: Folder) -> None:  # type: ignore[no-untyped-def]
    folder.record("r", type=kind, date=ago(5), outcome=None)
    (finding,) = judge_records(check, folder)
    assert finding.status is Status.FAIL
    assert finding.message.endswith("does not give outcome")
    (finding,) = judge_records(check, folder, required_fields=["participants"])
    assert finding.status is Status.PASS


@pytest.mark.parametrize(("check", "kind", "label"), RECORD_CHECKS)
def test_record_type_names_are_a_tunable(check, kind, label, folder: Folder) -> None:  # type: ignore[no-untyped-def]
    folder.record("r", type="Game Day", date=ago(5))
    assert judge_records(check, folder)[0].status is Status.FAIL
    assert judge_records(check, folder, record_types=["game-day"])[0].status is Status.PASS


@pytest.mark.parametrize(("check", "kind", "label"), RECORD_CHECKS)
def test_record_skips_when_records_are_kept_elsewhere(check, kind, label, folder: Folder) -> None:  # type: ignore[no-untyped-def]
    folder.set_config('records = ""')
    with pytest.raises(Skipped, match="records are not kept in this folder"):
        judge_records(check, folder)


@pytest.mark.parametrize(("check", "kind", "label"), RECORD_CHECKS)
def test_record_errors_on_bad_date_instead_of_failing(check, kind, label, folder: Folder) -> None:  # type: ignore[no-untyped-def]
    folder.record("r", type=kind, date="March 2026")
    (finding,) = judge_records(check, folder)
    assert finding.status is Status.ERROR
    assert finding.resource_id == "records/r.md"
    assert finding.message == (
        "compliance/records/r.md:5: date 'March 2026' is not a date: write YYYY-MM-DD"
    )


@pytest.mark.parametrize(("check", "kind", "label"), RECORD_CHECKS)
def test_broken_record_does_not_hide_a_good_one(check, kind, label, folder: Folder) -> None:  # type: ignore[no-untyped-def]
    folder.write("records/broken.md", "---\ntype: [\n---\n")
    folder.record("good", type=kind, date=ago(3))
    folder.record("unrelated", type="access-review", date="bad")
    findings = judge_records(check, folder)
    assert statuses(findings) == {"records/broken.md": Status.ERROR, "records/good.md": Status.PASS}


# --- files.vendors.inventory-present ------------------------------------------------


def test_inventory_passes(folder: Folder) -> None:
    folder.write("vendors.csv", "name,owner,criticality,last_reviewed\nAWS,Ana,high,2026-01-01\n")
    assert files_vendor_inventory_present(folder.inventory()) is None


def test_inventory_passes_yaml(folder: Folder) -> None:
    folder.write("vendors.yaml", "vendors:\n  - name: AWS\n  - name: GitHub\n")
    files_vendor_inventory_present(folder.inventory())


def test_inventory_fails_when_missing(folder: Folder) -> None:
    with pytest.raises(
        AssertionError, match=r"no vendor inventory: expected compliance/vendors\.csv"
    ):
        files_vendor_inventory_present(folder.inventory())


def test_inventory_fails_when_empty(folder: Folder) -> None:
    folder.write("vendors.csv", "name,owner,criticality,last_reviewed\n")
    with pytest.raises(AssertionError, match="lists no vendors"):
        files_vendor_inventory_present(folder.inventory())


def test_inventory_skips_when_kept_elsewhere(folder: Folder) -> None:
    folder.set_config('vendors = ""')
    with pytest.raises(Skipped):
        files_vendor_inventory_present(folder.inventory())


def test_inventory_errors_when_unparseable(folder: Folder) -> None:
    folder.write("vendors.yaml", "vendors: {name: AWS\n")
    with pytest.raises(MalformedFileError, match=r"compliance/vendors\.yaml:\d+: invalid YAML"):
        files_vendor_inventory_present(folder.inventory())


# --- files.vendors.reviewed --------------------------------------------------------


def vendors(folder: Folder, rows: str) -> list:  # type: ignore[type-arg]
    folder.write("vendors.csv", "name,owner,criticality,last_reviewed,status\n" + rows)
    return folder.vendors()


def test_vendor_reviewed_passes_and_fails_by_age(folder: Folder) -> None:
    fresh, stale = vendors(folder, f"AWS,Ana,high,{ago(365)},\nZendesk,Ben,low,{ago(410)},active\n")
    assert files_vendor_reviewed(fresh, utc_today()) is None
    with pytest.raises(AssertionError, match=r"^Zendesk was last reviewed on .*, 410 days ago"):
        files_vendor_reviewed(stale, utc_today())
    files_vendor_reviewed(stale, utc_today(), max_age_days=730)


def test_vendor_reviewed_fails_without_date(folder: Folder) -> None:
    (vendor,) = vendors(folder, "AWS,Ana,high,,\n")
    with pytest.raises(
        AssertionError, match=r"AWS \(compliance/vendors\.csv:2\) has no last_reviewed"
    ):
        files_vendor_reviewed(vendor, utc_today())


def test_vendor_reviewed_fails_in_future(folder: Folder) -> None:
    (vendor,) = vendors(folder, f"AWS,Ana,high,{ago(-10)},\n")
    with pytest.raises(AssertionError, match="in the future"):
        files_vendor_reviewed(vendor, utc_today())


def test_vendor_reviewed_skips_offboarded(folder: Folder) -> None:
    (vendor,) = vendors(folder, f"Heroku,Ana,low,{ago(900)},Offboarded\n")
    with pytest.raises(Skipped, match="Heroku is Offboarded"):
        files_vendor_reviewed(vendor, utc_today())


def test_vendor_reviewed_errors_on_bad_date_naming_line(folder: Folder) -> None:
    good, bad = vendors(folder, f"AWS,Ana,high,{ago(3)},\nOkta,Ana,high,2026-02-31,\n")
    files_vendor_reviewed(good, utc_today())
    with pytest.raises(MalformedFileError) as info:
        files_vendor_reviewed(bad, utc_today())
    assert str(info.value) == (
        "compliance/vendors.csv:3: last_reviewed '2026-02-31' is not a valid date "
        "(day is out of range for month)"
    )


def test_vendor_reviewed_errors_on_duplicate_name(folder: Folder) -> None:
    _, dup = vendors(folder, f"AWS,Ana,high,{ago(3)},\nAWS,Ben,high,{ago(3)},\n")
    assert dup.resource_id == "vendors.csv#line-3"
    with pytest.raises(MalformedFileError, match="name 'AWS' is used twice"):
        files_vendor_reviewed(dup, utc_today())


def test_front_matter_helper_makes_lists() -> None:
    assert front_matter(a=["x", "y"]) == "---\na: [x, y]\n---\n"
