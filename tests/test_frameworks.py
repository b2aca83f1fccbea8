"""Frameworks as data: ISO/IEC 27001:2022 Annex A beside the TSC, mappings without dangling IDs."""

from __future__ import annotations

import json
import types
from collections import Counter
from pathlib import Path

import pytest

from soc2checks import PluginError, control, hookimpl
from soc2checks._frameworks import frameworks
from soc2checks._plugins import build_registry, discover_entry_points, load_registry, wrap_extra
from soc2checks.cli import main
from soc2checks.frameworks import Framework, iso27001_annex_a
from soc2checks.testing.compliance import write_demo_compliance
from soc2checks_files.models import utc_today


def test_annex_a_has_93_controls_in_four_themes() -> None:
    iso = iso27001_annex_a()
    ids = iso.requirement_ids()
    assert len(ids) == len(set(ids)) == 93
    assert Counter(r.category for r in iso.requirements) == {
        "organizational": 37,
        "people": 8,
        "physical": 14,
        "technological": 34,
    }
    assert all(r.title and len(r.title) < 80 for r in iso.requirements)


def test_every_first_party_control_is_mapped_to_both_frameworks_without_dangling_ids() -> None:
    registry = load_registry()
    found = frameworks(registry)  # raises on a dangling ID or an unknown control
    first_party = {
        cid for cid, c in registry.controls.items() if c.module.startswith("soc2checks_controls.")
    }
    for fw_id in ("tsc2017", "iso27001"):
        fw = found[fw_id]
        unmapped = sorted(c for c in first_party if not fw.ids_of(c))
        assert not unmapped, (fw_id, unmapped)
        assert not fw.dangling()


def _plugin(**mapping: tuple[str, ...]) -> types.ModuleType:
    mod = types.ModuleType("acme_frameworks")
    mod.laptops = control("laptop-disk-encryption", criteria=["CC6.1"])  # type: ignore[attr-defined]

    @hookimpl
    def soc2checks_register_frameworks() -> list[Framework]:
        return [iso27001_annex_a(mapping=mapping)]

    mod.soc2checks_register_frameworks = soc2checks_register_frameworks  # type: ignore[attr-defined]
    return mod


def _registry(*extra: object):  # type: ignore[no-untyped-def]
    return build_registry([*discover_entry_points(), *wrap_extra(list(extra))])


def test_third_party_mappings_merge_into_a_registered_framework() -> None:
    iso = frameworks(_registry(_plugin(**{"laptop-disk-encryption": ("8.1", "8.24")})))["iso27001"]
    assert iso.ids_of("laptop-disk-encryption") == ("8.1", "8.24")
    assert iso.ids_of("mfa-enforced") == ("8.5", "5.17")  # the first-party mapping stays


def test_dangling_ids_unknown_controls_and_conflicts_are_plugin_errors() -> None:
    with pytest.raises(PluginError, match=r"unknown requirements: laptop-disk-encryption -> 9\.1"):
        frameworks(_registry(_plugin(**{"laptop-disk-encryption": ("9.1",)})))
    with pytest.raises(PluginError, match="unknown controls: no-such-control"):
        frameworks(_registry(_plugin(**{"no-such-control": ("8.1",)})))
    other = types.ModuleType("acme_other")

    @hookimpl
    def soc2checks_register_frameworks() -> list[Framework]:
        return [Framework(id="iso27001", title="mine", requirements=())]

    other.soc2checks_register_frameworks = soc2checks_register_frameworks  # type: ignore[attr-defined]
    with pytest.raises(PluginError, match="registered with other requirements"):
        frameworks(_registry(other))


def test_list_and_readiness_by_annex_a(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_demo_compliance(tmp_path / "compliance", utc_today())
    (tmp_path / "soc2checks.toml").write_text('providers = ["files"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["list", "criteria", "--framework", "iso27001"]) == 0
    out = capsys.readouterr().out
    rows = [line.split()[0] for line in out.splitlines() if line[:1] in "5678" and "." in line[:4]]
    assert len(rows) == 93 and rows[0] == "5.1" and rows[-1] == "8.34"
    assert "iso27001 requirements" in out.splitlines()[-1]
    assert main(["readiness", "--framework", "iso27001", "--format", "json"]) == 1
    got = {r["criterion"]: r for r in json.loads(capsys.readouterr().out)}
    assert len(got) == 93
    assert got["6.1"]["status"] == "covered" and got["6.1"]["evidence"] == "records"
    assert got["6.3"]["status"] == "failing"  # Jonas's training is overdue
    assert got["7.7"]["status"] == "missing"
    assert main(["list", "criteria", "--framework", "nist"]) == 2
    assert "unknown framework 'nist'" in capsys.readouterr().err


def test_run_selects_and_reports_by_annex_a(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_demo_compliance(tmp_path / "compliance", utc_today())
    (tmp_path / "soc2checks.toml").write_text('providers = ["files"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv = ["run", "--no-progress", "--framework", "iso27001", "--criteria", "6.3"]
    assert main([*argv, "--format", "json"]) == 1  # Jonas's training is overdue
    doc = json.loads(capsys.readouterr().out)
    assert {f["check_id"] for f in doc["findings"]} == {"files.people.security-training"}
    assert {tuple(f["criteria"]) for f in doc["findings"]} == {("6.3",)}
    assert main(["run", "--no-progress", "--framework", "iso27001", "--criteria", "5.1*"]) == 1
    table = capsys.readouterr().out
    sections = [line.split()[0] for line in table.splitlines() if line[:2] in ("5.", "6.", "8.")]
    assert sections[:4] == ["5.1", "5.10", "5.11", "5.12"]  # grouped by Annex A ID
    assert not [line for line in table.splitlines() if line.startswith("CC")]
    assert main([*argv[:-1], "9.9"]) == 2
    assert "framework 'iso27001' has no requirement '9.9'" in capsys.readouterr().err


def test_reports_sort_numeric_ids_numerically() -> None:
    from soc2checks.reporters._common import criterion_sort_key

    ids = ["5.10", "x-1", "8.1", "5.2", "CC1.1", "P1.1"]
    assert sorted(ids, key=criterion_sort_key) == ["CC1.1", "P1.1", "5.2", "5.10", "8.1", "x-1"]


def test_streamed_outputs_report_by_the_chosen_framework_like_buffered_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    write_demo_compliance(tmp_path / "compliance", utc_today())
    (tmp_path / "soc2checks.toml").write_text('providers = ["files"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv = ["run", "--no-progress", "--check", "files.people.*"]
    formats = ["--format", "json:r.json", "--format", "jsonl:r.jsonl", "--format", "csv:r.csv"]
    for fw, expected in (("iso27001", ("6.3",)), ("tsc2017", ("CC1.4", "CC2.2"))):
        assert main([*argv, "--framework", fw, *formats]) == 1
        buffered = {
            (f["check_id"], f["resource_id"]): tuple(f["criteria"])
            for f in json.loads(Path("r.json").read_text("utf-8"))["findings"]
        }
        lines = [json.loads(x) for x in Path("r.jsonl").read_text("utf-8").splitlines()]
        streamed = {(f["check_id"], f["resource_id"]): tuple(f["criteria"]) for f in lines}
        with Path("r.csv").open(encoding="utf-8", newline="") as fh:
            rows = {
                (r["check_id"], r["resource_id"]): tuple(r["criteria"].split(", "))
                for r in csv.DictReader(fh)
            }
        assert streamed == buffered == rows and len(buffered) > 3, fw
        training = {v for k, v in buffered.items() if k[0] == "files.people.security-training"}
        assert training == {expected}, fw
    # on standard output too
    assert main([*argv, "--framework", "iso27001", "--format", "jsonl"]) == 1
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert out and all(not c.startswith("CC") for f in out for c in f["criteria"])
    assert main([*argv, "--framework", "nist", "--format", "jsonl"]) == 2
    assert "unknown framework 'nist'" in capsys.readouterr().err
