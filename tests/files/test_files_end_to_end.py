"""The ``files`` provider through the engine: ``soc2checks.run`` with a soc2checks.toml."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import soc2checks
from soc2checks import ConfigError, Status
from soc2checks.testing.compliance import DEMO_EXPECTED, write_demo_compliance
from soc2checks_files.models import utc_today

from .conftest import Folder, ago

FILES_CHECKS = {
    "files.policy.required-present": ("documented-policies", ["CC1.1", "CC2.2", "CC5.2", "CC5.3"]),
    "files.policy.metadata": ("documented-policies", ["CC1.1", "CC2.2", "CC5.2", "CC5.3"]),
    "files.policy.reviewed": ("documented-policies", ["CC1.1", "CC2.2", "CC5.2", "CC5.3"]),
    "files.risk-register.present-and-reviewed": (
        "risk-assessment",
        ["CC3.1", "CC3.2", "CC3.3", "CC3.4"],
    ),
    "files.risk-register.complete": ("risk-assessment", ["CC3.1", "CC3.2", "CC3.3", "CC3.4"]),
    "files.records.dr-test": ("recovery-testing", ["A1.3"]),
    "files.records.ir-exercise": ("incident-response", ["CC7.3", "CC7.4", "CC7.5"]),
    "files.vendors.inventory-present": ("vendor-management", ["CC9.2"]),
    "files.vendors.reviewed": ("vendor-management", ["CC9.2"]),
    "files.people.security-training": ("security-training", ["CC1.4", "CC2.2"]),
    "files.people.background-check": ("background-checks", ["CC1.4"]),
    "files.people.policy-acknowledgement": ("policy-acknowledgement", ["CC1.1", "CC1.5"]),
    "files.people.offboarding": ("offboarding", ["CC6.2", "CC6.3"]),
    "files.governance.board-oversight": ("board-oversight", ["CC1.2", "CC2.2"]),
    "files.governance.org-chart": ("org-chart", ["CC1.3"]),
    "files.governance.control-owners": ("control-owners", ["CC1.5", "CC5.1"]),
    "files.governance.system-description": ("system-description", ["CC2.1"]),
    "files.governance.external-commitments": ("external-commitments", ["CC2.3", "P1.1"]),
    "files.governance.deficiency-tracking": ("deficiency-tracking", ["CC4.2"]),
    "files.assets.disposal": ("asset-disposal", ["CC6.5", "C1.2"]),
    "files.vendors.subservice-reports": ("subservice-reports", ["CC6.4", "CC9.2"]),
    "files.policy.privacy-notice": ("privacy-notice", ["P1.1", "P3.1", "P4.1", "P7.1"]),
    "files.policy.data-classification": ("data-classification", ["C1.1"]),
    "files.privacy.dsar": ("privacy-requests", ["P5.1", "P5.2", "P8.1"]),
    "files.privacy.consent": ("consent", ["P2.1", "P3.2"]),
    "files.privacy.retention": ("retention", ["P4.2", "P4.3", "C1.2"]),
    "files.privacy.disclosures": ("disclosures", ["P6.1", "P6.2", "P6.3", "P6.7"]),
    "files.privacy.breach-notification": ("breach-notification", ["P6.5", "P6.6"]),
    "files.privacy.vendor-dpa": ("vendor-dpa", ["P6.4"]),
    "files.policy.processing-specifications": ("processing-specifications", ["PI1.1"]),
    "files.policy.reconciliation-procedure": (
        "processing-integrity",
        ["PI1.2", "PI1.3", "PI1.4", "PI1.5"],
    ),
    "files.pi.reconciliation": ("processing-integrity", ["PI1.2", "PI1.3", "PI1.4", "PI1.5"]),
    "files.pi.job-failure-monitoring": (
        "processing-integrity",
        ["PI1.2", "PI1.3", "PI1.4", "PI1.5"],
    ),
    "files.policy.capacity-management": ("capacity-management", ["A1.1"]),
}


def run(folder: Folder, **kwargs: object) -> soc2checks.RunResult:
    return soc2checks.run(providers=["files"], config=folder.config_path, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def demo(folder: Folder) -> Folder:
    write_demo_compliance(folder.root, utc_today())
    return folder


def test_demo_gives_the_intended_verdicts(demo: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo.project.parent)  # the folder resolves against the config file
    result = run(demo)
    got = {(f.check_id, f.resource_id): f.status.value for f in result.findings}
    for key, status in DEMO_EXPECTED.items():
        assert got.get(key) == status, key
    assert {f.check_id for f in result.findings} == set(FILES_CHECKS)
    for f in result.findings:
        assert f.provider == "files"
        assert f.scope == {"folder": "compliance"}
        assert (f.control_id, list(f.criteria)) == FILES_CHECKS[f.check_id]
        assert f.resource_type.startswith("files:")
    summary = result.summary.as_dict()
    assert summary["error"] == 0
    # stale policy, missing policy, R-004, IR exercise, Zendesk; from the records: Jonas's
    # training and acknowledgement, Tess's late offboarding, DEF-9, DSR-3, vendor-dpa's owner
    assert summary["fail"] == 11
    # the draft policy twice, the offboarded vendor; a closed and a recent deficiency,
    # a joiner's training not yet due, a purpose without consent, an open request, a
    # disposal not yet due, a joiner's acknowledgements not yet due
    assert summary["skip"] == 10


def test_demo_findings_carry_evidence(demo: Folder) -> None:
    result = run(demo, checks=["files.vendors.reviewed", "files.risk-register.*"])
    by_key = {(f.check_id, f.resource_id): f for f in result.findings}
    zendesk = by_key["files.vendors.reviewed", "vendors.csv#Zendesk"]
    assert zendesk.evidence["last_reviewed"] == ago(410)
    assert zendesk.evidence["path"] == "compliance/vendors.csv"
    register = by_key["files.risk-register.present-and-reviewed", "risk-register.csv"]
    assert register.evidence == {
        "path": "compliance/risk-register.csv",
        "found": True,
        "format": "csv",
        "risk_count": 6,
        "last_reviewed": ago(60),
        "owner": "Dana Whitfield (CTO)",
    }
    json.dumps([f.model_dump(mode="json") for f in result.findings])


def test_demo_is_deterministic_for_a_given_day(tmp_path: Path) -> None:
    day = dt.date(2027, 5, 4)
    a = write_demo_compliance(tmp_path / "a", day)
    b = write_demo_compliance(tmp_path / "b", day)
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) == 15 + 7 + 21
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes()
    assert "last_reviewed: 2027-03-05" in (a / "risk-register.csv").read_text()


def test_two_runs_give_identical_findings(demo: Folder) -> None:
    first = [f.model_dump(mode="json") for f in run(demo).findings]
    second = [f.model_dump(mode="json") for f in run(demo, jobs=1).findings]
    assert first == second


def test_missing_folder_is_one_error_per_check_naming_folder_and_key(folder: Folder) -> None:
    folder.set_config('path = "compliance-docs"')
    result = run(folder)
    assert {f.check_id for f in result.findings} == set(FILES_CHECKS)
    assert len(result.findings) == len(FILES_CHECKS)
    for f in result.findings:
        assert f.status is Status.ERROR
        assert "folder 'compliance-docs' does not exist" in f.message
        assert "set `path` in the [files] table of" in f.message
        assert f.scope == {"folder": "compliance-docs"}
        assert (f.resource_id, f.resource_type) == ("compliance-docs", "files:folder")
    assert result.summary.as_dict()["pass"] == 0


def test_malformed_files_are_errors_naming_file_and_line(folder: Folder) -> None:
    folder.policy("access-control", last_reviewed="last spring")
    folder.policy("acceptable-use")
    folder.write(
        "risk-register.csv",
        f"# last_reviewed: {ago(5)}\nid,title,owner,likelihood,impact,treatment\n"
        "R-1,Theft,Ana,3,4,mitigate\nR-2,Theft, again,Ana,3,4,mitigate\n",
    )
    result = run(folder, checks=["files.policy.reviewed", "files.risk-register.complete"])
    got = {(f.check_id, f.resource_id): (f.status, f.message) for f in result.findings}
    assert got["files.policy.reviewed", "policies/acceptable-use.md"][0] is Status.PASS
    status, message = got["files.policy.reviewed", "policies/access-control.md"]
    assert status is Status.ERROR
    assert message == (
        "MalformedFileError: compliance/policies/access-control.md:5: last_reviewed "
        "'last spring' is not a date: write YYYY-MM-DD"
    )
    assert got["files.risk-register.complete", "risk-register.csv#R-1"][0] is Status.PASS
    status, message = got["files.risk-register.complete", "risk-register.csv#R-2"]
    assert status is Status.ERROR
    assert message.startswith("MalformedFileError: compliance/risk-register.csv:4: expected 6")


def test_params_in_config_override_tunables(demo: Folder) -> None:
    demo.set_config(
        extra=(
            '\n[params."files.policy.reviewed"]\nmax_age_days = 600\n'
            '\n[params."files.policy.required-present"]\n'
            'required = ["access-control", "information-security"]\n'
            '\n[params."files.records.ir-exercise"]\nmax_age_days = 450\n'
        )
    )
    result = run(demo, checks=["files.policy.*", "files.records.*"])
    assert result.summary.as_dict()["fail"] == 0
    present = [f for f in result.findings if f.check_id == "files.policy.required-present"]
    assert len(present) == 2


def test_bad_param_type_is_a_config_error(demo: Folder) -> None:
    demo.set_config(extra='\n[params."files.vendors.reviewed"]\nmax_age_days = "a year"\n')
    with pytest.raises(ConfigError, match=r'params\."files\.vendors\.reviewed"\.max_age_days'):
        run(demo)


def test_unknown_files_setting_is_a_config_error(demo: Folder) -> None:
    demo.set_config('required_policies = ["x"]')
    with pytest.raises(ConfigError, match="files"):
        run(demo)


def test_waiver_applies_to_a_files_finding(demo: Folder) -> None:
    demo.set_config(
        extra=(
            '\n[[waivers]]\ncheck = "files.vendors.*"\nresource = "vendors.csv#Zendesk"\n'
            'justification = "review scheduled, contract ends next month"\n'
            'approved_by = "ciso@example.com"\n'
            f"expires = {(utc_today() + dt.timedelta(days=30)).isoformat()}\n"
        )
    )
    result = run(demo, checks=["files.vendors.reviewed"])
    (zendesk,) = [f for f in result.findings if f.resource_id == "vendors.csv#Zendesk"]
    assert zendesk.status is Status.WAIVED
    assert zendesk.waiver is not None and zendesk.waiver.approved_by == "ciso@example.com"


def test_disabled_locations_skip_their_checks(demo: Folder) -> None:
    demo.set_config('risk_register = ""\nrecords = ""\nvendors = ""')
    result = run(demo, checks=["files.risk-register.*", "files.records.*", "files.vendors.*"])
    assert [(f.check_id, f.status) for f in result.findings] == [
        ("files.records.dr-test", Status.SKIP),
        ("files.records.ir-exercise", Status.SKIP),
        ("files.risk-register.present-and-reviewed", Status.SKIP),
        ("files.vendors.inventory-present", Status.SKIP),
        ("files.vendors.subservice-reports", Status.SKIP),
    ]


def test_the_run_date_decides_recency(tmp_path: Path) -> None:
    """Checks read the run's ``today``, so an old run can be replayed as of its date."""
    import datetime as dt

    from soc2checks._config import load_config
    from soc2checks._engine import prepare, run_checks
    from soc2checks._plugins import build_registry, discover_entry_points

    (tmp_path / "compliance" / "records").mkdir(parents=True)
    (tmp_path / "compliance" / "records" / "dr.md").write_text(
        "---\ntype: disaster-recovery-test\ndate: 2026-01-10\nparticipants: [ops]\noutcome: restored\n---\n"
    )
    (tmp_path / "soc2checks.toml").write_text('[files]\npath = "compliance"\n')
    cfg = load_config(tmp_path / "soc2checks.toml")
    registry = build_registry(discover_entry_points())

    def status(today: dt.date) -> str:
        prep = prepare(config=cfg, registry=registry, checks=["files.records.dr-test"])
        (f,) = run_checks(prepared=prep, today=today).findings
        return f.status.value

    assert status(dt.date(2026, 6, 1)) == "pass"
    assert status(dt.date(2027, 6, 1)) == "fail"
