"""Each records check: pass, fail and error, over real files parsed by the records engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest

from soc2checks import Finding, Status
from soc2checks._config import Config, ConfigFile
from soc2checks_controls.asset_disposal import files_asset_disposal
from soc2checks_controls.background_checks import files_background_check
from soc2checks_controls.board_oversight import files_board_oversight
from soc2checks_controls.breach_notification import files_breach_notification
from soc2checks_controls.consent import files_consent
from soc2checks_controls.control_ownership import files_control_owners
from soc2checks_controls.deficiency_tracking import files_deficiency_tracking
from soc2checks_controls.disclosures import files_disclosures
from soc2checks_controls.offboarding import files_offboarding
from soc2checks_controls.policy_acknowledgement import files_policy_acknowledgement
from soc2checks_controls.privacy_requests import files_privacy_requests
from soc2checks_controls.processing_integrity import (
    files_job_failure_monitoring,
    files_reconciliation,
)
from soc2checks_controls.retention import files_retention
from soc2checks_controls.security_training import files_security_training
from soc2checks_controls.subservice_reports import files_subservice_reports
from soc2checks_controls.vendor_dpa import files_vendor_dpa
from soc2checks_files import fixtures
from soc2checks_files._read_records import read_record_book
from soc2checks_files.models import FilesRoot, MalformedFileError, PolicyDocument
from soc2checks_files.record_types import RECORD_TYPES
from soc2checks_files.records import RecordBook

TODAY = dt.date(2026, 6, 1)


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


class Records:
    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path
        (tmp_path / "records").mkdir()
        self.root = FilesRoot(folder="compliance", path=str(tmp_path))

    def write(self, name: str, text: str) -> Records:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return self

    def record(self, name: str, *rows: str) -> Records:
        return self.write(f"records/{name}", "\n".join(rows) + "\n")

    @property
    def book(self) -> RecordBook:
        return read_record_book(self.root, self.path, RECORD_TYPES)

    def roster(self, *people: tuple[str, int, int | None]) -> Records:
        rows = ["email,name,start_date,end_date,status"]
        for email, start, left in people:
            end = ago(left) if left is not None else ""
            rows.append(f"{email},{email.split('@')[0].title()},{ago(start)},{end},")
        return self.record("personnel.csv", *rows)


@pytest.fixture
def rec(tmp_path: Path) -> Records:
    return Records(tmp_path)


def verdicts(findings: Iterable[Finding]) -> dict[str, Status]:
    return {f.resource_id: f.status for f in findings}


def messages(findings: Iterable[Finding]) -> dict[str, str]:
    return {f.resource_id: f.message for f in findings}


# --- people -------------------------------------------------------------------------------


def test_security_training(rec: Records) -> None:
    rec.roster(
        ("ada@a.test", 800, None),
        ("bob@a.test", 800, None),
        ("cy@a.test", 100, None),
        ("dee@a.test", 100, None),
        ("eve@a.test", 10, None),
        ("fay@a.test", 800, 30),
    )
    rec.record(
        "training.csv",
        "email,course,completed_on",
        f"ada@a.test,SAT,{ago(30)}",
        f"bob@a.test,SAT,{ago(400)}",
        f"cy@a.test,SAT,{ago(90)}",
        f"dee@a.test,SAT,{ago(20)}",
        "zed@a.test,SAT,yesterday",
    )
    got = list(files_security_training(rec.book, TODAY))
    assert verdicts(got) == {
        "records/personnel.csv#ada@a.test": Status.PASS,
        "records/personnel.csv#bob@a.test": Status.FAIL,  # 400 days ago
        "records/personnel.csv#cy@a.test": Status.PASS,  # 10 days after joining
        "records/personnel.csv#dee@a.test": Status.FAIL,  # 80 days after joining: late
        "records/personnel.csv#eve@a.test": Status.SKIP,  # joined 10 days ago: not due
        "records/training.csv#line-6": Status.ERROR,
    }
    msg = messages(got)
    assert "not a date" in msg["records/training.csv#line-6"]
    assert "training.csv:6" in msg["records/training.csv#line-6"]
    assert "completed late" in msg["records/personnel.csv#dee@a.test"]


def test_missing_records_fail_the_check_naming_where_they_were_looked_for(rec: Records) -> None:
    rec.roster(("ada@a.test", 800, None))
    with pytest.raises(
        AssertionError, match=r"^no training records in compliance/records/training\*$"
    ):
        list(files_security_training(rec.book, TODAY))
    (rec.path / "records" / "personnel.csv").unlink()
    with pytest.raises(AssertionError, match="no personnel roster records in"):
        list(files_background_check(rec.book, TODAY))


def test_malformed_files_are_errors_of_the_check(rec: Records) -> None:
    rec.roster(("ada@a.test", 800, None))
    rec.record("training.csv", "email,course", "ada@a.test,SAT")
    with pytest.raises(MalformedFileError, match="training.csv:1: the header lacks required"):
        list(files_security_training(rec.book, TODAY))


def test_duplicate_people_and_leavers_without_dates_are_errors(rec: Records) -> None:
    rec.record(
        "personnel.csv",
        "email,start_date,end_date,status",
        f"ada@a.test,{ago(800)},,",
        f"ada@a.test,{ago(700)},,",
        f"bob@a.test,{ago(700)},,terminated",
        f"cy@a.test,{ago(700)},{ago(900)},",
    )
    rec.record("training.csv", "email,completed_on", f"ada@a.test,{ago(5)}")
    got = verdicts(files_security_training(rec.book, TODAY))
    assert got == {
        "records/personnel.csv#ada@a.test": Status.PASS,
        "records/personnel.csv#line-3": Status.ERROR,
        "records/personnel.csv#bob@a.test": Status.ERROR,
        "records/personnel.csv#cy@a.test": Status.ERROR,
    }


def test_background_check(rec: Records) -> None:
    rec.roster(("ada@a.test", 100, None), ("bob@a.test", 100, None), ("cy@a.test", 100, None))
    rec.roster(
        ("ada@a.test", 100, None),
        ("bob@a.test", 100, None),
        ("cy@a.test", 100, None),
        ("old@a.test", 3000, None),
    )
    rec.record(
        "background-checks.csv",
        "email,completed_on,result",
        f"ada@a.test,{ago(110)},clear",
        f"bob@a.test,{ago(50)},clear",
        f"old@a.test,{ago(10)}x,clear",
    )
    got = list(files_background_check(rec.book, TODAY, since=TODAY - dt.timedelta(days=1000)))
    assert verdicts(got) == {
        "records/personnel.csv#ada@a.test": Status.PASS,
        "records/personnel.csv#bob@a.test": Status.FAIL,
        "records/personnel.csv#cy@a.test": Status.FAIL,
        "records/personnel.csv#old@a.test": Status.SKIP,  # started before `since`
        "records/background-checks.csv#line-4": Status.ERROR,
    }
    assert "after the 7-day grace period" in messages(got)["records/personnel.csv#bob@a.test"]


def _policy(pid: str, version: str | None, acknowledge: str = "true") -> PolicyDocument:
    return PolicyDocument(
        resource_id=f"policies/{pid}.md",
        path=f"compliance/policies/{pid}.md",
        id=pid,
        version=version,
        other={"acknowledge": acknowledge},
    )


def test_policy_acknowledgement(rec: Records) -> None:
    rec.roster(("ada@a.test", 800, None), ("bob@a.test", 800, None), ("new@a.test", 5, None))
    rec.record(
        "policy-acknowledgements.csv",
        "email,policy,version,acknowledged_on",
        f"ada@a.test,Code of Conduct,2.0,{ago(30)}",
        f"bob@a.test,code-of-conduct,1.0,{ago(300)}",
        f"bob@a.test,code-of-conduct,,{ago(300)}",
    )
    policies = [_policy("code-of-conduct", "2.0"), _policy("ai-usage", "1", acknowledge="no")]
    got = list(files_policy_acknowledgement(rec.book, policies, TODAY))
    assert verdicts(got) == {
        "records/personnel.csv#ada@a.test": Status.PASS,
        "records/personnel.csv#bob@a.test": Status.FAIL,
        "records/personnel.csv#new@a.test": Status.SKIP,  # joined 5 days ago
        "records/policy-acknowledgements.csv#line-4": Status.ERROR,
    }
    assert messages(got)["records/personnel.csv#bob@a.test"].endswith(
        "has not acknowledged code-of-conduct v2.0"
    )
    with pytest.raises(AssertionError, match="no policy in force is marked 'acknowledge: true'"):
        list(files_policy_acknowledgement(rec.book, policies[1:], TODAY))
    unversioned = list(files_policy_acknowledgement(rec.book, [_policy("x", None)], TODAY))
    assert unversioned[0].status is Status.ERROR


def test_offboarding(rec: Records) -> None:
    rec.roster(
        ("ada@a.test", 800, 10),
        ("bob@a.test", 800, 20),
        ("cy@a.test", 800, 30),
        ("old@a.test", 2000, 900),
        ("dee@a.test", 800, None),
    )
    rec.record(
        "access-removals.csv",
        "email,system,removed_on",
        f"ada@a.test,Okta,{ago(9)}",
        f"bob@a.test,Okta,{ago(15)}",
        "cy@a.test,Okta,soon",
    )
    got = list(files_offboarding(rec.book, TODAY))
    assert verdicts(got) == {
        "records/personnel.csv#ada@a.test": Status.PASS,
        "records/personnel.csv#bob@a.test": Status.FAIL,  # 5 days late
        "records/personnel.csv#cy@a.test": Status.FAIL,  # no valid removal
        "records/personnel.csv#old@a.test": Status.SKIP,  # left 900 days ago
        "records/access-removals.csv#line-4": Status.ERROR,
    }
    assert "5 days later (limit: 1)" in messages(got)["records/personnel.csv#bob@a.test"]


# --- governance -----------------------------------------------------------------------------


def test_board_oversight(rec: Records) -> None:
    rec.record(
        "board-meetings.csv",
        "date,body,topics",
        f'{ago(100)},Board,"budget, Security programme"',
        f"{ago(50)},board,budget",
    )
    (finding,) = files_board_oversight(rec.book, TODAY)
    assert (finding.status, finding.resource_id) == (
        Status.PASS,
        "records/board-meetings.csv#line-2",
    )
    (finding,) = files_board_oversight(rec.book, TODAY, max_age_days=60)
    assert finding.status is Status.FAIL and "the latest was on" in finding.message
    rec.record("board-meetings.csv", "date,body,topics", "someday,board,security")
    assert [f.status for f in files_board_oversight(rec.book, TODAY)] == [
        Status.ERROR,
        Status.FAIL,
    ]


def test_control_owners(rec: Records) -> None:
    cfg = Config(ConfigFile.model_validate({"owners": {"mfa-enforced": "Mei"}}))
    rec.record("control-matrix.csv", "control,owner", "offboarding,Priya", "consent,")
    got = verdicts(files_control_owners(("consent", "mfa-enforced", "offboarding"), cfg, rec.book))
    assert got == {"consent": Status.FAIL, "mfa-enforced": Status.PASS, "offboarding": Status.PASS}
    (rec.path / "records" / "control-matrix.csv").unlink()
    got = verdicts(files_control_owners(("offboarding",), cfg, rec.book))
    assert got == {"offboarding": Status.FAIL}
    rec.record("control-matrix.yaml", "- control: [a, b]\n  owner: x")
    assert (
        verdicts(files_control_owners(("offboarding",), cfg, rec.book))[
            "records/control-matrix.yaml#line-1"
        ]
        is Status.ERROR
    )
    with pytest.raises(RuntimeError, match="no selected controls"):
        list(files_control_owners((), cfg, rec.book))


def test_deficiency_tracking(rec: Records) -> None:
    rec.record(
        "deficiencies.csv",
        "id,check,opened_on,status,owner,ticket,sla_days",
        f"D1,x,{ago(100)},closed,,,",
        f"D2,x,{ago(40)},open,Ana,SEC-1,",
        f"D3,x,{ago(40)},open,,SEC-2,",
        f"D4,x,{ago(40)},open,,,60",
        f"D5,x,{ago(40)},open,,,thirty",
    )
    got = verdicts(files_deficiency_tracking(rec.book, TODAY))
    assert got == {
        "records/deficiencies.csv#D1": Status.SKIP,
        "records/deficiencies.csv#D2": Status.PASS,
        "records/deficiencies.csv#D3": Status.FAIL,
        "records/deficiencies.csv#D4": Status.SKIP,
        "records/deficiencies.csv#D5": Status.ERROR,
    }


def test_asset_disposal(rec: Records) -> None:
    rec.record(
        "assets.csv",
        "asset_id,type,status,disposed_on",
        "LT-1,laptop,in use,",
        f"LT-2,laptop,disposed,{ago(10)}",
        f"LT-3,laptop,,{ago(10)}",
        "LT-4,laptop,destroyed,last week",
    )
    rec.record("disposal-certificates.csv", "asset_id,date,certificate", f"lt-2,{ago(9)},C-1")
    got = verdicts(files_asset_disposal(rec.book))
    assert got == {
        "records/assets.csv#LT-2": Status.PASS,
        "records/assets.csv#LT-3": Status.FAIL,
        "records/assets.csv#LT-4": Status.ERROR,
    }
    rec.record("assets.csv", "asset_id,status", "LT-1,in use")
    assert verdicts(files_asset_disposal(rec.book)) == {"records/assets*": Status.PASS}


def _inventory(tmp: Records, text: str) -> fixtures.VendorInventory:
    tmp.write("vendors.csv", text)
    return fixtures.files_vendor_inventory(tmp.root)


def test_subservice_reports(rec: Records) -> None:
    inventory = _inventory(
        rec,
        "name,owner,criticality,last_reviewed,status\n"
        "AWS,ana,high,2026-01-01,\nOkta,ana,critical,2026-01-01,\nGitHub,ana,high,2026-01-01,\n"
        "Slack,ana,low,2026-01-01,\nHeroku,ana,high,2026-01-01,offboarded\n",
    )
    rec.record(
        "vendor-reports.csv",
        "vendor,report,period_end,reviewed_on,cuecs",
        f"aws,SOC 2 Type II,{ago(100)},{ago(30)},IAM is ours",
        f"Okta,ISO 27001,{ago(500)},{ago(400)},MFA",
        f"GitHub,SOC 2 Type II,,{ago(30)},",
        "Slack,SOC 2,,not yet,",
    )
    got = verdicts(files_subservice_reports(inventory, rec.book, TODAY))
    assert got == {
        "vendors.csv#AWS": Status.PASS,
        "vendors.csv#Okta": Status.FAIL,  # reviewed 400 days ago
        "vendors.csv#GitHub": Status.FAIL,  # no CUECs noted
        "records/vendor-reports.csv#line-5": Status.ERROR,
    }


def test_vendor_dpa(rec: Records) -> None:
    text = "name,criticality,personal_data\nAWS,high,yes\nOkta,high,yes\nGitHub,high,no\n"
    inventory = _inventory(rec, text)
    rec.record("dpas.csv", "vendor,signed_on", f"AWS,{ago(300)}", "Okta,unsigned")
    got = verdicts(files_vendor_dpa(inventory, rec.book))
    assert got == {
        "vendors.csv#AWS": Status.PASS,
        "vendors.csv#Okta": Status.FAIL,
        "records/dpas.csv#Okta": Status.ERROR,
    }
    no_column = _inventory(rec, "name,criticality\nAWS,high\n")
    with pytest.raises(AssertionError, match="add a personal_data column"):
        list(files_vendor_dpa(no_column, rec.book))


# --- privacy --------------------------------------------------------------------------------


def test_dsar(rec: Records) -> None:
    rec.write(
        "records/privacy-requests.json",
        '{"records": [\n'
        f'{{"id": "R1", "type": "access", "received_on": "{ago(100)}", "answered_on": "{ago(80)}"}},\n'
        f'{{"id": "R2", "type": "correction", "received_on": "{ago(100)}", "answered_on": "{ago(50)}"}},\n'
        f'{{"id": "R3", "type": "complaint", "received_on": "{ago(40)}"}},\n'
        f'{{"id": "R4", "type": "access", "received_on": "{ago(10)}"}},\n'
        f'{{"id": "R5", "type": "access", "received_on": "2026-02-30"}}\n'
        "]}\n",
    )
    got = list(files_privacy_requests(rec.book, TODAY))
    assert verdicts(got) == {
        "records/privacy-requests.json#R1": Status.PASS,
        "records/privacy-requests.json#R2": Status.FAIL,
        "records/privacy-requests.json#R3": Status.FAIL,
        "records/privacy-requests.json#R4": Status.SKIP,
        "records/privacy-requests.json#R5": Status.ERROR,
    }
    assert "privacy-requests.json:6" in messages(got)["records/privacy-requests.json#R5"]
    rec.write("records/privacy-requests.json", "[]")
    assert [f.status for f in files_privacy_requests(rec.book, TODAY)] == [Status.PASS]


def test_consent(rec: Records) -> None:
    rec.record(
        "consent-register.yaml",
        "- purpose: newsletter\n  requires_consent: yes\n  lawful_basis: consent",
        "- purpose: analytics\n  requires_consent: true",
        "- purpose: billing\n  requires_consent: no",
        "- purpose: ads\n  requires_consent: perhaps",
    )
    got = verdicts(files_consent(rec.book))
    assert got == {
        "records/consent-register.yaml#newsletter": Status.PASS,
        "records/consent-register.yaml#analytics": Status.FAIL,
        "records/consent-register.yaml#billing": Status.SKIP,
        "records/consent-register.yaml#ads": Status.ERROR,
    }
    rec.write("records/consent-register.yaml", "records: []\n")
    with pytest.raises(AssertionError, match="lists no purpose"):
        list(files_consent(rec.book))


def test_retention(rec: Records) -> None:
    rec.record("retention-schedule.csv", "data_category,retention_days", "logs,365", "crm,x")
    rec.record(
        "disposal-log.csv",
        "data_category,due_on,disposed_on",
        f"logs,{ago(10)},{ago(10)}",
        f"logs,{ago(5)},",
        f"logs,{ago(-5)},",
        f"hr,{ago(5)},{ago(5)}",
    )
    got = verdicts(files_retention(rec.book, TODAY))
    assert got == {
        "records/retention-schedule.csv#crm": Status.ERROR,
        "records/retention-schedule*": Status.PASS,
        "records/disposal-log.csv#line-2": Status.PASS,
        "records/disposal-log.csv#line-3": Status.FAIL,
        "records/disposal-log.csv#line-4": Status.SKIP,
        "records/disposal-log.csv#line-5": Status.FAIL,  # not in the schedule
    }
    (rec.path / "records" / "disposal-log.csv").unlink()
    with pytest.raises(AssertionError, match="no disposal-log records"):
        list(files_retention(rec.book, TODAY))


def test_disclosures(rec: Records) -> None:
    rec.record(
        "disclosures.csv",
        "date,recipient,data_categories,basis,authorised,incident",
        f"{ago(5)},Stripe,billing,contract,yes,",
        f"{ago(5)},Acme Ads,emails,,,",
        f"{ago(5)},Pastebin,api keys,,no,INC-7",
        f"{ago(5)},Unknown,emails,,no,",
        f"{ago(5)},Tax office,invoices,law,sometimes,",
    )
    got = verdicts(files_disclosures(rec.book))
    assert got == {
        "records/disclosures.csv#line-2": Status.PASS,
        "records/disclosures.csv#line-3": Status.FAIL,
        "records/disclosures.csv#line-4": Status.PASS,
        "records/disclosures.csv#line-5": Status.FAIL,
        "records/disclosures.csv#line-6": Status.ERROR,
    }


def test_breach_notification(rec: Records) -> None:
    now = f"{TODAY.isoformat()}T00:00:00Z"
    rec.record(
        "privacy-incidents.csv",
        "id,detected_at,reported_by,notification_decision,decided_at",
        f"P1,{ago(30)}T10:00+02:00,Zendesk,notify,{ago(28)}T07:00Z",
        f"P2,{ago(30)}T10:00Z,,notify,{ago(26)}T10:00Z",
        f"P3,{ago(30)},,,",
        f"P4,{now},,,",
        f"P5,{ago(3)}T25:00,,,",
    )
    got = list(files_breach_notification(rec.book, TODAY))
    assert verdicts(got) == {
        "records/privacy-incidents.csv#P1": Status.PASS,  # 47 hours
        "records/privacy-incidents.csv#P2": Status.FAIL,  # 96 hours
        "records/privacy-incidents.csv#P3": Status.FAIL,
        "records/privacy-incidents.csv#P4": Status.SKIP,
        "records/privacy-incidents.csv#P5": Status.ERROR,
    }
    assert "after 47 hours" in messages(got)["records/privacy-incidents.csv#P1"]


# --- processing integrity -------------------------------------------------------------------


def test_reconciliation(rec: Records) -> None:
    rec.record(
        "reconciliations.csv",
        "date,job,stage,expected,actual,resolved",
        f"{ago(3)},upload,input,10,10,",
        f"{ago(3)},billing,processing,10,9,no",
        f"{ago(40)},report,output,10,10,",
        f"{ago(3)},backup,storage,ten,10,",
    )
    got = verdicts(files_reconciliation(rec.book, TODAY))
    assert got == {
        "records/reconciliations.csv#line-3": Status.FAIL,  # mismatch, not resolved
        "records/reconciliations*#input": Status.PASS,
        "records/reconciliations*#processing": Status.PASS,
        "records/reconciliations*#output": Status.FAIL,  # 40 days old
        "records/reconciliations*#storage": Status.FAIL,  # its only record is malformed
        "records/reconciliations.csv#line-5": Status.ERROR,
    }


def test_job_failure_monitoring(rec: Records) -> None:
    rec.record(
        "job-monitoring.csv",
        "job,monitored,alert_route",
        "billing,yes,PagerDuty",
        "report,no,",
        "upload,maybe,x",
    )
    rec.record(
        "job-failures.csv",
        "job,failed_at,resolved_at",
        f"billing,{ago(10)}T01:00Z,{ago(10)}T05:00Z",
        f"billing,{ago(10)}T01:00Z,{ago(2)}T05:00Z",
        f"report,{ago(10)}T01:00Z,",
        f"report,{ago(1)}T01:00Z,",
    )
    got = verdicts(files_job_failure_monitoring(rec.book, TODAY))
    assert got == {
        "records/job-monitoring.csv#billing": Status.PASS,
        "records/job-monitoring.csv#report": Status.FAIL,
        "records/job-monitoring.csv#upload": Status.ERROR,
        "records/job-failures.csv#line-2": Status.PASS,
        "records/job-failures.csv#line-3": Status.FAIL,
        "records/job-failures.csv#line-4": Status.FAIL,
    }


def test_empty_registers_never_pass_silently(rec: Records) -> None:
    rec.record("personnel.csv", "email,start_date")
    rec.record("training.csv", "email,completed_on")
    with pytest.raises(
        AssertionError,
        match=r"the personnel roster \(compliance/records/personnel.csv\) lists no one",
    ):
        list(files_security_training(rec.book, TODAY))
    rec.record("assets.csv", "asset_id,status")
    with pytest.raises(AssertionError, match="lists no asset"):
        list(files_asset_disposal(rec.book))
    rec.record("deficiencies.csv", "id,opened_on")
    (finding,) = files_deficiency_tracking(rec.book, TODAY)
    assert finding.status is Status.PASS and "holds no deficiency" in finding.message
    inventory = _inventory(rec, "name,personal_data\nGitHub,no\n")
    (finding,) = files_vendor_dpa(inventory, rec.book)
    assert finding.status is Status.PASS and finding.resource_id == "vendors.csv"
