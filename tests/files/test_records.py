"""The records engine: record types read from CSV, YAML and JSON into typed rows."""

from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path

import pytest

import soc2checks
from soc2checks import Status, hookimpl
from soc2checks_files._read_records import read_record_book
from soc2checks_files.models import FilesRoot
from soc2checks_files.record_types import RECORD_TYPES
from soc2checks_files.records import (
    Column,
    RecordBook,
    RecordType,
    collect_record_types,
)

ROSTER_CSV = """\
email,name,start_date,end_date,status
ada@acme.test,Ada Lovelace,2024-03-01,,active
bob@acme.test,Bob Byte,2023-01-10,2026-01-31,terminated
"""
ROSTER_YAML = """\
records:
  - email: ada@acme.test
    name: Ada Lovelace
    start_date: 2024-03-01
  - email: bob@acme.test
    name: Bob Byte
    start_date: 2023-01-10
    end_date: 2026-01-31
    status: terminated
"""
ROSTER_JSON = json.dumps(
    [
        {"email": "ada@acme.test", "name": "Ada Lovelace", "start_date": "2024-03-01"},
        {
            "email": "bob@acme.test",
            "name": "Bob Byte",
            "start_date": "2023-01-10",
            "end_date": "2026-01-31",
            "status": "terminated",
        },
    ],
    indent=2,
)


def _root(tmp_path: Path) -> FilesRoot:
    (tmp_path / "records").mkdir(exist_ok=True)
    return FilesRoot(folder="compliance", path=str(tmp_path))


def _book(tmp_path: Path, files: dict[str, str]) -> RecordBook:
    root = _root(tmp_path)
    for name, text in files.items():
        (tmp_path / "records" / name).write_text(text, encoding="utf-8")
    return read_record_book(root, tmp_path, RECORD_TYPES)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("personnel.csv", ROSTER_CSV),
        ("personnel.yaml", ROSTER_YAML),
        ("personnel.json", ROSTER_JSON),
    ],
)
def test_roster_read_from_each_format_into_typed_rows(tmp_path: Path, name: str, text: str) -> None:
    roster = _book(tmp_path, {name: text}).get("personnel")
    assert roster.found and roster.files == [f"compliance/records/{name}"]
    assert not roster.problems
    ada, bob = roster.rows
    assert ada.resource_id == f"records/{name}#ada@acme.test"
    assert ada.date("start_date") == dt.date(2024, 3, 1)
    assert ada.date("end_date") is None
    assert bob.date("end_date") == dt.date(2026, 1, 31)
    assert bob.text("status") == "terminated"
    assert not ada.problems and not bob.problems
    assert ada.line < bob.line


@pytest.mark.parametrize("rtype", RECORD_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("fmt", ["csv", "yaml", "json"])
def test_every_first_party_type_parses_from_every_format(
    tmp_path: Path, rtype: RecordType, fmt: str
) -> None:
    sample = {
        "text": "x-1",
        "date": "2026-01-15",
        "datetime": "2026-01-15T09:30:00Z",
        "int": "42",
        "bool": "yes",
        "names": "security, finance",
    }
    row = {c.name: sample[c.type] for c in rtype.columns}
    stem = rtype.patterns[0].rstrip("*")
    if fmt == "csv":
        text = ",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n"
    elif fmt == "yaml":
        text = "records:\n" + "".join(
            f'  {"- " if i == 0 else "  "}{k}: "{v}"\n' for i, (k, v) in enumerate(row.items())
        )
    else:
        text = json.dumps({"records": [row]})
    got = _book(tmp_path, {f"{stem}.{fmt}": text}).get(rtype.name)
    assert not got.problems, got.problems
    assert len(got.rows) == 1 and not got.rows[0].problems, got.rows[0].problems
    values = got.rows[0].values
    for col in rtype.columns:
        expected = {
            "text": "x-1",
            "date": dt.date(2026, 1, 15),
            "datetime": dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.timezone.utc),
            "int": 42,
            "bool": True,
            "names": ["security", "finance"],
        }[col.type]
        assert values[col.name] == expected, (col.name, values[col.name])


def test_aliases_and_several_files_are_read_together(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "training-2025.csv": "Work Email,Course,Completion Date\nada@acme.test,SAT,2025-02-01\n",
            "training-2026.yaml": "- email: ada@acme.test\n  completed_on: 2026-02-01\n",
        },
    )
    training = book.get("training")
    assert [r.date("completed_on") for r in training.rows] == [
        dt.date(2025, 2, 1),
        dt.date(2026, 2, 1),
    ]
    assert training.rows[0].text("email") == "ada@acme.test"


def test_wrong_dates_are_problems_of_their_field_and_line(tmp_path: Path) -> None:
    roster = _book(
        tmp_path,
        {
            "personnel.csv": "email,start_date\nada@acme.test,last spring\nbob@acme.test,2026-02-30\n"
        },
    ).get("personnel")
    ada, bob = roster.rows
    assert [str(p) for p in ada.problems_for("start_date")] == [
        "compliance/records/personnel.csv:2: start_date 'last spring' is not a date: "
        "write YYYY-MM-DD"
    ]
    assert "personnel.csv:3" in str(bob.problems[0]) and "not a valid date" in str(bob.problems[0])
    assert ada.date("start_date") is None


def test_wrong_types_and_empty_required_values(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "retention-schedule.csv": "data_category,retention_days\ninvoices,ten years\nlogs,\n",
            "consent.yaml": "- purpose: marketing\n  requires_consent: maybe\n",
            "privacy-incidents.json": '[{"id": "PI-1", "detected_at": "2026-13-01T10:00"}]',
        },
    )
    invoices, logs = book.get("retention-schedule").rows
    assert "'ten years' is not a whole number" in str(invoices.problems[0])
    assert [str(p) for p in logs.problems] == [
        "compliance/records/retention-schedule.csv:3: required retention_days is empty"
    ]
    assert "'maybe' is not yes or no" in str(book.get("consent-register").rows[0].problems[0])
    incident = book.get("privacy-incidents").rows[0]
    assert incident.problems_for("detected_at") and incident.moment("detected_at") is None


def test_missing_required_column_is_a_file_problem(tmp_path: Path) -> None:
    training = _book(tmp_path, {"training.csv": "email,course\nada@acme.test,SAT\n"}).get(
        "training"
    )
    assert [str(p) for p in training.problems] == [
        "compliance/records/training.csv:1: the header lacks required column(s) completed_on"
    ]


def test_malformed_rows_and_files_name_file_and_line(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "training.csv": 'email,completed_on\nada@acme.test,2026-01-01,extra\n"bob,2026-01-01\n',
            "personnel.yaml": "records:\n  - email: ada@acme.test\n    start_date: [2024\n",
            "dpas.json": '[{"vendor": "Stripe",\n "signed_on": "2025-01-01",}]',
        },
    )
    rows = book.get("training").rows
    assert "training.csv:2: expected 2 fields" in str(rows[0].problems[0])
    assert any("training.csv:3" in str(p) for r in rows[1:] for p in r.problems)
    assert "personnel.yaml:" in str(book.get("personnel").problems[0])
    assert [str(p) for p in book.get("dpas").problems] == [
        "compliance/records/dpas.json:2: invalid JSON: Expecting property name enclosed in "
        "double quotes"
    ]


def test_duplicate_people_are_problems_of_the_later_row(tmp_path: Path) -> None:
    roster = _book(
        tmp_path,
        {
            "personnel.csv": "email,start_date\nada@acme.test,2024-03-01\n",
            "roster.csv": "email,start_date\nADA@acme.test,2025-03-01\n",
        },
    ).get("personnel")
    first, second = roster.rows
    assert not first.problems
    assert [str(p) for p in second.problems] == [
        "compliance/records/roster.csv:2: email 'ADA@acme.test' is listed twice "
        "(first at compliance/records/personnel.csv:2)"
    ]
    assert second.resource_id == "records/roster.csv#line-2"


def test_missing_files_are_not_found_and_other_files_ignored(tmp_path: Path) -> None:
    book = _book(tmp_path, {"notes.md": "# notes\n", "_template-training.csv": "email\n"})
    training = book.get("training")
    assert not training.found and not training.rows
    assert training.expected == "compliance/records/training*"
    with pytest.raises(LookupError, match="record type 'laptops' is not declared"):
        book.get("laptops")


def test_record_type_declarations_are_validated() -> None:
    with pytest.raises(ValueError, match="date_field must be a date column"):
        RecordType(name="x", patterns=("x*",), columns=(Column(name="a"),), date_field="a")
    with pytest.raises(ValueError, match="key 'b' is not a column"):
        RecordType(name="x", patterns=("x*",), columns=(Column(name="a"),), key="b")
    with pytest.raises(ValueError, match="lower-case words"):
        RecordType(name="X Y", patterns=("x*",), columns=())
    one = RecordType(name="x", patterns=("x*",), columns=())
    other = RecordType(name="x", patterns=("y*",), columns=())
    with pytest.raises(ValueError, match="declared twice"):
        collect_record_types([[one], [other]])
    with pytest.raises(TypeError, match="expected soc2checks_files.records.RecordType"):
        collect_record_types([["not a type"]])


LAPTOPS = RecordType(
    name="laptop-audits",
    patterns=("laptops*",),
    columns=(Column(name="serial", required=True), Column(name="audited_on", type="date")),
    key="serial",
    date_field="audited_on",
)


def _laptop_plugin() -> types.ModuleType:
    from soc2checks import control

    plugin = types.ModuleType("acme_laptops")
    audits = control("laptop-audits", criteria=["CC6.8"])

    @hookimpl
    def soc2checks_record_types() -> list[RecordType]:
        return [LAPTOPS]

    @audits.check("acme.laptops.audited", provider="files")
    def laptops_audited(files_record_book: RecordBook) -> None:
        """Every laptop was audited."""
        laptops = files_record_book.get("laptop-audits")
        # (no bare assert: pytest rewrites asserts in test modules, adding detail)
        if not laptops.found:
            raise AssertionError(f"no laptop audits in {laptops.expected}")
        for row in laptops.rows:
            if not row.date("audited_on"):
                raise AssertionError(f"{row.text('serial')} never audited")

    plugin.soc2checks_record_types = soc2checks_record_types
    plugin.laptops_audited = laptops_audited
    plugin.audits = audits
    return plugin


def test_third_party_record_types_come_through_the_hook(tmp_path: Path) -> None:
    (tmp_path / "compliance" / "records").mkdir(parents=True)
    (tmp_path / "soc2checks.toml").write_text('providers = ["files"]\n', encoding="utf-8")
    plugin = _laptop_plugin()

    def verdict() -> tuple[Status, str]:
        result = soc2checks.run(
            checks=["acme.laptops.audited"], config=tmp_path / "soc2checks.toml", plugins=[plugin]
        )
        (finding,) = result.findings
        return finding.status, finding.message

    assert verdict() == (Status.FAIL, "no laptop audits in compliance/records/laptops*")
    laptops = tmp_path / "compliance" / "records" / "laptops.csv"
    laptops.write_text("serial,audited_on\nC02X1,2026-01-10\nC02X2,\n", encoding="utf-8")
    assert verdict() == (Status.FAIL, "C02X2 never audited")
    laptops.write_text("serial,audited_on\nC02X1,2026-01-10\n", encoding="utf-8")
    assert verdict()[0] is Status.PASS


def test_a_json_or_yaml_file_without_a_records_list_is_malformed(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "privacy-requests.json": '{"requests": [{"id": "R1"}]}',
            "dpas.yaml": "records: []\nexported: 2026-01-01\n",
        },
    )
    assert [str(p) for p in book.get("privacy-requests").problems] == [
        "compliance/records/privacy-requests.json:1: expected a list of records, or a mapping "
        "with a 'records' list"
    ]
    assert not book.get("dpas").problems and book.get("dpas").found
