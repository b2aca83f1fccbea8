"""The ``files`` fixtures: parsing policies, registers, records and vendors from disk."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from soc2checks import ConfigError
from soc2checks_files import fixtures, soc2checks_register_providers
from soc2checks_files.models import FilesSettings, PolicyDocument, RiskRegister, VendorInventory

from .conftest import Folder, ago, front_matter


def test_provider_declares_settings_and_no_sdk() -> None:
    (provider,) = soc2checks_register_providers()
    assert provider.name == "files"
    assert provider.settings is FilesSettings
    assert provider.requires == ()


def test_scope_is_the_folder_as_configured(folder: Folder) -> None:
    root = folder.files_root()
    assert root.scope_key == {"folder": "compliance"}
    assert root.resource_id == "compliance"
    assert root.path == str(folder.project / "compliance")


def test_path_is_resolved_against_the_config_file(make_folder, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = make_folder("proj", 'path = "docs/soc2"')
    monkeypatch.chdir(tmp_path)
    (f.project / "docs" / "soc2" / "policies").mkdir(parents=True)
    root = f.files_root()
    assert root.scope_key == {"folder": "docs/soc2"}
    assert root.path == str(f.project / "docs" / "soc2")
    assert fixtures.files_policies(root) == []


def test_unknown_setting_is_a_config_error(make_folder) -> None:  # type: ignore[no-untyped-def]
    f = make_folder("proj", 'required_policies = ["x"]')
    with pytest.raises(ConfigError, match=r"files\.required_policies"):
        f.files_root()


def test_policy_front_matter_is_read_with_types(folder: Folder) -> None:
    folder.write(
        "policies/infosec.md",
        front_matter(
            id="Information Security",
            owner="Dana",
            approved_by="Sam",
            version="1.10",
            last_reviewed="2026-01-15",
            classification="internal",
        )
        + "\n# Information Security Policy\n\nBody.\n",
    )
    (policy,) = folder.policies()
    assert policy.resource_id == "policies/infosec.md"
    assert policy.path == "compliance/policies/infosec.md"
    assert policy.id == "information-security"
    assert policy.title == "Information Security Policy"
    assert policy.version == "1.10"  # not the float 1.1
    assert policy.last_reviewed == dt.date(2026, 1, 15)
    assert policy.other == {"classification": "internal"}
    assert policy.problems == []
    assert policy.has_front_matter


def test_policy_files_are_found_recursively_skipping_readme_and_templates(folder: Folder) -> None:
    folder.policy("access-control")
    folder.write("policies/hr/acceptable-use.md", front_matter(owner="x") + "text\n")
    folder.write("policies/README.md", "# Our policies\n")
    folder.write("policies/_template.md", front_matter(owner="x"))
    folder.write("policies/notes.txt", "not markdown\n")
    ids = [p.resource_id for p in folder.policies()]
    assert ids == ["policies/access-control.md", "policies/hr/acceptable-use.md"]


def test_malformed_front_matter_names_file_and_line(folder: Folder) -> None:
    folder.write("policies/bad.md", "---\nowner: Dana\nversion: [1.0\nlast_reviewed: x\n---\n")
    (policy,) = folder.policies()
    assert policy.id == "bad"
    assert len(policy.problems) == 1
    text = str(policy.problems[0])
    assert text.startswith("compliance/policies/bad.md:")
    assert "invalid YAML" in text
    line = int(text.split(":")[1])
    assert 3 <= line <= 4


def test_unclosed_front_matter_is_a_problem_on_line_1(folder: Folder) -> None:
    folder.write("policies/open.md", "---\nowner: Dana\n\n# Policy\n")
    (policy,) = folder.policies()
    assert [str(p) for p in policy.problems] == [
        "compliance/policies/open.md:1: front matter opened by '---' on line 1 is never "
        "closed by '---'"
    ]


def test_front_matter_that_is_not_a_mapping(folder: Folder) -> None:
    folder.write("policies/list.md", "---\n- a\n- b\n---\n")
    (policy,) = folder.policies()
    assert "must be a mapping" in str(policy.problems[0])


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("last spring", "is not a date"),
        ("2026-13-01", "is not a valid date"),
        ("[2026-01-01]", "not a list"),
    ],
)
def test_bad_date_is_a_problem_of_that_field_with_its_line(
    folder: Folder, value: str, reason: str
) -> None:
    folder.write("policies/p.md", f"---\nowner: Dana\nversion: 2\nlast_reviewed: {value}\n---\n")
    (policy,) = folder.policies()
    assert policy.last_reviewed is None
    assert policy.owner == "Dana"
    (problem,) = policy.problems
    assert problem.key == "last_reviewed"
    assert problem.location == "compliance/policies/p.md:4"
    assert reason in problem.message


def test_datetime_is_accepted_as_its_date(folder: Folder) -> None:
    folder.policy("p", last_reviewed="2026-02-03T10:00:00Z")
    assert folder.policies()[0].last_reviewed == dt.date(2026, 2, 3)


def test_duplicate_key_is_a_problem(folder: Folder) -> None:
    folder.write("policies/p.md", "---\nowner: A\nowner: B\n---\n")
    (policy,) = folder.policies()
    assert policy.owner == "A"
    assert str(policy.problems[0]) == (
        "compliance/policies/p.md:3: 'owner' is given twice (first on line 2)"
    )


def test_file_that_is_not_utf8_is_a_problem(folder: Folder) -> None:
    folder.write("policies/latin1.md", "---\nowner: Jos\xe9\n---\n".encode("latin-1"))
    (policy,) = folder.policies()
    assert "is not UTF-8" in str(policy.problems[0])
    assert policy.problems[0].key is None


def test_csv_register_metadata_and_rows(folder: Folder) -> None:
    folder.write(
        "risk-register.csv",
        "# Risk register of Acme\n# last_reviewed: 2026-03-01\n# owner: Dana\n"
        "ID,Title,Owner,Likelihood,Impact,Treatment\n"
        'R-1,"Laptop theft, office",Ana,3,4,mitigate\n'
        "\n"
        "# R-0,commented out,,,,\n"
        "R-2,Region loss,Ben,2,5,accept\n",
    )
    register = folder.register()
    assert register.found and register.format == "csv"
    assert register.resource_id == "risk-register.csv"
    assert register.last_reviewed == dt.date(2026, 3, 1)
    assert register.owner == "Dana"
    assert [(r.resource_id, r.line, r.title) for r in register.risks] == [
        ("risk-register.csv#R-1", 5, "Laptop theft, office"),
        ("risk-register.csv#R-2", 8, "Region loss"),
    ]
    assert all(r.problems == [] for r in register.risks)


def test_bad_csv_row_names_its_line_and_hides_no_other_row(folder: Folder) -> None:
    folder.write(
        "risk-register.csv",
        "# last_reviewed: 2026-03-01\n"
        "id,title,owner,likelihood,impact,treatment\n"
        "R-1,Laptop theft,Ana,3,4,mitigate\n"
        "R-2,Laptop theft, office,Ana,3,4,mitigate\n"
        'R-3,"bad"quote,Ana,3,4,mitigate\n'
        "R-4,Phishing,Ben,4,3,mitigate\n",
    )
    risks = folder.risks()
    assert [r.resource_id for r in risks] == [
        "risk-register.csv#R-1",
        "risk-register.csv#R-2",
        "risk-register.csv#line-5",
        "risk-register.csv#R-4",
    ]
    assert risks[0].problems == [] and risks[3].problems == []
    assert str(risks[1].problems[0]) == (
        "compliance/risk-register.csv:4: expected 6 fields (id, title, owner, likelihood, "
        "impact, treatment), found 7 (a comma inside a value needs double quotes)"
    )
    assert str(risks[2].problems[0]).startswith("compliance/risk-register.csv:5: not valid CSV")


def test_csv_multiline_cell_keeps_line_numbers(folder: Folder) -> None:
    folder.write(
        "vendors.csv",
        'name,owner,criticality,last_reviewed\nA,"Ana\nand Ben",high,2026-01-01\nB,Cy,low,bad\n',
    )
    a, b = folder.vendors()
    assert (a.line, b.line) == (2, 4)
    assert str(b.problems[0]) == (
        "compliance/vendors.csv:4: last_reviewed 'bad' is not a date: write YYYY-MM-DD"
    )


def test_csv_header_problems_are_problems_of_the_register(folder: Folder) -> None:
    folder.write("risk-register.csv", "id,title,id\nR-1,a,b\n")
    register = folder.register()
    assert register.risks == []
    assert "column 'id' appears twice" in str(register.problems[0])


def test_duplicate_risk_id_is_a_problem_of_the_later_row(folder: Folder) -> None:
    folder.write("risk-register.csv", "id,title\nR-1,a\nR-1,b\n")
    first, second = folder.risks()
    assert first.resource_id == "risk-register.csv#R-1" and first.problems == []
    assert second.resource_id == "risk-register.csv#line-3"
    assert str(second.problems[0]) == (
        "compliance/risk-register.csv:3: id 'R-1' is used twice (first on line 2)"
    )


def test_yaml_register_with_lines(folder: Folder) -> None:
    folder.write(
        "risk-register.yaml",
        "last_reviewed: 2026-02-01\nowner: Dana\nrisks:\n"
        "  - id: R-1\n    title: Laptop theft\n    owner: Ana\n    likelihood: 3\n"
        "    impact: 4\n    treatment: mitigate\n"
        "  - id: R-2\n    title: Region loss\n    likelihood: high\n"
        "  - just a string\n",
    )
    register = folder.register()
    assert register.format == "yaml" and register.resource_id == "risk-register.yaml"
    assert register.last_reviewed == dt.date(2026, 2, 1)
    r1, r2, r3 = register.risks
    assert (r1.line, r1.likelihood, r1.treatment) == (4, "3", "mitigate")
    assert (r2.line, r2.owner, r2.likelihood) == (10, None, "high")
    assert r3.resource_id == "risk-register.yaml#line-13"
    assert str(r3.problems[0]) == (
        "compliance/risk-register.yaml:13: list item is not a mapping of keys to values"
    )


def test_yaml_syntax_error_is_a_register_problem_with_line(folder: Folder) -> None:
    folder.write("vendors.yml", "vendors:\n  - name: A\n    owner: [x\n")
    inventory = folder.inventory()
    assert inventory.found and inventory.vendors == []
    (problem,) = inventory.problems
    assert problem.location.startswith("compliance/vendors.yml:")
    assert "invalid YAML" in problem.message


def test_two_register_files_are_ambiguous(folder: Folder) -> None:
    folder.write("risk-register.csv", "id\n")
    folder.write("risk-register.yaml", "risks: []\n")
    register = folder.register()
    assert register.found
    assert "keep one, or name one in [files] risk_register" in str(register.problems[0])


def test_register_file_name_is_configurable(folder: Folder) -> None:
    folder.set_config('risk_register = "grc/risks.yaml"\nvendors = "third-parties.csv"')
    folder.write("grc/risks.yaml", "risks:\n  - id: R-1\n")
    folder.write("third-parties.csv", "name\nAcme\n")
    assert folder.register().resource_id == "grc/risks.yaml"
    assert [v.resource_id for v in folder.vendors()] == ["third-parties.csv#Acme"]


def test_missing_register_and_inventory_are_not_found(folder: Folder) -> None:
    register = folder.register()
    assert not register.found and register.risks == []
    assert register.expected == [
        "compliance/risk-register.csv",
        "compliance/risk-register.yaml",
        "compliance/risk-register.yml",
    ]
    assert not folder.inventory().found


def test_records_are_parsed(folder: Folder) -> None:
    folder.record("2026/dr", type="Disaster Recovery Test", date="2026-04-01", title="DR")
    folder.record("plain", body="no front matter here\n", type=None, participants=None)
    folder.write("records/plain.md", "# A record without front matter\n")
    folder.write("records/untyped.md", front_matter(date="2026-01-01"))
    dr, plain, untyped = folder.records()
    assert dr.resource_id == "records/2026/dr.md"
    assert (dr.type, dr.date, dr.participants, dr.outcome) == (
        "disaster-recovery-test",
        dt.date(2026, 4, 1),
        ["Ana", "Ben"],
        "passed",
    )
    assert "has no YAML front matter" in str(plain.problems[0])
    assert untyped.problems[0].key == "type"


def test_comma_separated_participants(folder: Folder) -> None:
    folder.write("records/x.md", front_matter(type="dr-test", participants="Ana, Ben"))
    assert folder.records()[0].participants == ["Ana", "Ben"]


def test_missing_folder_raises_naming_folder_and_config_key(folder: Folder) -> None:
    folder.set_config('path = "no-such-folder"')
    root = folder.files_root()
    for fetch in (
        fixtures.files_policies,
        fixtures.files_risk_register,
        fixtures.files_records,
        fixtures.files_vendor_inventory,
    ):
        with pytest.raises(FileNotFoundError) as info:
            fetch(root)
        message = str(info.value)
        assert "'no-such-folder' does not exist" in message
        assert "set `path` in the [files] table of" in message
        assert str(folder.config_path) in message


def test_disabled_locations_read_nothing(folder: Folder) -> None:
    folder.set_config('policies = ""\nrisk_register = ""\nrecords = ""\nvendors = ""')
    folder.policy("access-control")
    folder.write("risk-register.csv", "id\nR-1\n")
    assert folder.policies() == []
    assert not folder.register().enabled
    assert folder.records() == []
    assert not folder.inventory().enabled


def test_models_round_trip_through_json(folder: Folder) -> None:
    folder.policy("p", last_reviewed="bad")
    folder.write("risk-register.csv", "# last_reviewed: 2026-01-01\nid,owner\nR-1,Ana\nR-2\n")
    folder.write("vendors.csv", "name,last_reviewed\nA,2026-01-01\n")
    policy = folder.policies()[0]
    assert PolicyDocument.model_validate(json.loads(policy.model_dump_json())) == policy
    register = folder.register()
    assert RiskRegister.model_validate_json(register.model_dump_json()) == register
    inventory = folder.inventory()
    assert VendorInventory.model_validate_json(inventory.model_dump_json()) == inventory
    root = folder.files_root()
    assert type(root).model_validate_json(root.model_dump_json()) == root


def test_ago_helper_is_relative_to_utc_today() -> None:
    assert ago(0) == dt.datetime.now(dt.timezone.utc).date().isoformat()
