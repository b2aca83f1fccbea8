"""``pytest --soc2checks``: checks collected and reported as pytest items (via pytester)."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

import pytest

pytest_plugins = ["pytester"]

PLUGIN = textwrap.dedent(
    '''
    from pydantic import BaseModel
    from soc2checks import control, resource, skip

    class Laptop(BaseModel):
        resource_id: str
        encrypted: bool | None
        owner: str = "it"

    FETCHES = []

    @resource("laptops", scope="run", resource_type="Acme::Laptop")
    def laptops():
        FETCHES.append(1)
        with open("fetches.log", "a") as fh:
            fh.write("fetch\\n")
        return [Laptop(resource_id=n, encrypted=e) for n, e in
                [("mac-1", True), ("mac-2", False), ("mac-3", None), ("mac-4", False)]]

    disk = control("laptop-disk-encryption", criteria=["CC6.1", "CC6.7"])
    owners = control("laptop-owner", criteria=["CC1.3"])

    @disk.check("acme.laptop.disk-encrypted", over="laptops", severity="high",
                evidence=["encrypted"], remediation="Turn on FileVault.")
    def disk_encrypted(laptop):
        """Laptop disks are encrypted."""
        if laptop.encrypted is None:
            skip("no MDM data")
        assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"

    @owners.check("acme.laptop.owner-known", over="laptops", severity="low")
    def owner_known(laptop):
        """Every laptop has a known owner."""
        if laptop.resource_id == "mac-2":
            raise RuntimeError("inventory API timed out")
        assert laptop.owner
    '''
)

CONFIG = textwrap.dedent(
    """
    plugins = ["compliance/checks.py"]
    providers = ["checks"]

    [[waivers]]
    check = "acme.laptop.disk-encrypted"
    resource = "mac-4"
    justification = "being replaced this week"
    approved_by = "ciso@example.com"
    expires = 2999-01-01
    """
)


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    (pytester.path / "compliance").mkdir()
    (pytester.path / "compliance" / "checks.py").write_text(PLUGIN)
    pytester.makefile(".toml", soc2checks=CONFIG)
    return pytester


def fetches(p: pytest.Pytester) -> int:
    log = p.path / "fetches.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_inert_without_the_flag(project: pytest.Pytester) -> None:
    project.makepyfile(test_plain="def test_ok():\n    assert True\n")
    result = project.runpytest("-p", "no:xdist")
    result.assert_outcomes(passed=1)
    assert fetches(project) == 0


def test_every_finding_is_an_item_with_its_outcome(project: pytest.Pytester) -> None:
    result = project.runpytest("--soc2checks", "-p", "no:xdist", "-rA")
    # disk: mac-1 pass, mac-2 fail, mac-3 skip, mac-4 waived; owner: 3 pass, mac-2 error
    result.assert_outcomes(passed=4, failed=1, skipped=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*acme.laptop.disk-encrypted[[]mac-2[]]*",
            "*mac-2 is not encrypted*",
        ]
    )
    out = result.stdout.str()
    assert 'evidence: {"encrypted": false}' in out
    assert "remediation: Turn on FileVault." in out
    assert "inventory API timed out" in out
    assert "no MDM data" in out
    assert "waived: being replaced this week (approved by ciso@example.com" in out
    assert fetches(project) == 1
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_collect_only_names(project: pytest.Pytester) -> None:
    result = project.runpytest("--soc2checks", "-p", "no:xdist", "--collect-only", "-q")
    lines = [ln for ln in result.stdout.lines if ln.startswith("soc2checks::")]
    assert lines == [
        f"soc2checks::acme.laptop.{c}[mac-{i}]"
        for c in ("disk-encrypted", "owner-known")
        for i in (1, 2, 3, 4)
    ]


def test_k_selects_and_still_fetches_once(project: pytest.Pytester) -> None:
    result = project.runpytest("--soc2checks", "-p", "no:xdist", "-k", "mac-1 or mac-3")
    result.assert_outcomes(passed=3, skipped=1, deselected=4)
    assert fetches(project) == 1


@pytest.mark.parametrize(
    ("expr", "outcomes"),
    [
        ("cc6_1 and high", {"passed": 1, "failed": 1, "skipped": 2}),
        ("cc1_3", {"passed": 3, "errors": 1}),
        ("low and not cc6_7", {"passed": 3, "errors": 1}),
        ("laptop_disk_encryption and checks", {"passed": 1, "failed": 1, "skipped": 2}),
        ("critical", {}),
    ],
)
def test_markers_select_under_strict_markers(
    project: pytest.Pytester, expr: str, outcomes: dict[str, int]
) -> None:
    result = project.runpytest("--soc2checks", "-p", "no:xdist", "--strict-markers", "-m", expr)
    got = result.parseoutcomes()
    got.pop("deselected", None)
    got = {k if k != "error" else "errors": v for k, v in got.items()}
    got.pop("no", None)  # "no tests ran"
    assert {
        k: v for k, v in got.items() if k in {"passed", "failed", "skipped", "errors"}
    } == outcomes
    assert fetches(project) == 1


def test_markers_are_registered(project: pytest.Pytester) -> None:
    result = project.runpytest("--soc2checks", "-p", "no:xdist", "--markers")
    for name in ("cc6_1", "cc6_7", "cc1_3", "high", "laptop_owner", "checks"):
        result.stdout.fnmatch_lines([f"@pytest.mark.{name}: soc2checks *"])


def test_junitxml(project: pytest.Pytester) -> None:
    project.runpytest("--soc2checks", "-p", "no:xdist", "--junitxml=out.xml")
    root = ET.parse(project.path / "out.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert len(cases) == 8
    failed = cases["acme.laptop.disk-encrypted[mac-2]"]
    assert failed.find("failure") is not None
    assert "mac-2 is not encrypted" in (failed.find("failure").get("message") or "")  # type: ignore[union-attr]
    assert cases["acme.laptop.owner-known[mac-2]"].find("error") is not None
    assert cases["acme.laptop.disk-encrypted[mac-4]"].find("skipped") is not None
    assert list(cases["acme.laptop.disk-encrypted[mac-1]"]) == [] or all(
        child.tag == "properties" for child in cases["acme.laptop.disk-encrypted[mac-1]"]
    )


def test_config_option_and_bad_config(project: pytest.Pytester) -> None:
    other = project.path / "elsewhere.toml"
    other.write_text('plugins = ["compliance/checks.py"]\nproviders = ["checks"]\n')
    result = project.runpytest(
        "--soc2checks", "-p", "no:xdist", f"--soc2checks-config={other}", "-k", "mac-4"
    )
    result.assert_outcomes(failed=1, passed=1, deselected=6)  # no waiver in this config
    (project.path / "bad.toml").write_text("nonsense_key = 1\n")
    bad = project.runpytest("--soc2checks", "-p", "no:xdist", "--soc2checks-config=bad.toml")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["*soc2checks: *nonsense_key*"])
    assert "Traceback" not in bad.stderr.str() + bad.stdout.str()


def test_idle_check_is_an_error_not_a_silent_pass(project: pytest.Pytester) -> None:
    (project.path / "compliance" / "checks.py").write_text(
        PLUGIN.replace(
            '[("mac-1", True), ("mac-2", False), ("mac-3", None), ("mac-4", False)]', "[]"
        )
    )
    result = project.runpytest("--soc2checks", "-p", "no:xdist")
    result.assert_outcomes(errors=2)


def test_xdist_each_worker_runs_the_engine_once(project: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    result = project.runpytest_subprocess("--soc2checks", "-n", "2")
    result.assert_outcomes(passed=4, failed=1, skipped=2, errors=1)
    assert fetches(project) == 2  # one engine run per worker, none on the controller
