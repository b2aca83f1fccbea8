"""Issue 8, through the command line: config, waiver and baseline mistakes get one loud line.

Every mistake here is made in a real project folder (a local plugin file and a
``soc2checks.toml``) and run through ``soc2checks.cli.main`` with captured output:
exit 2, one line on standard error, no traceback, a suggestion where a name is close.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from soc2checks.cli import main

PLUGIN = textwrap.dedent(
    '''
    """Acme's own laptop controls, reading the fleet next to the config file."""
    import json
    from pydantic import BaseModel
    from soc2checks import Provider, control, hookimpl, resource, skip

    class AcmeSettings(BaseModel):       # no model_config: unknown keys are still errors
        inventory: str = "fleet.json"

    @hookimpl
    def soc2checks_register_providers():
        return [Provider("acme", title="Acme", settings=AcmeSettings)]

    class Laptop(BaseModel):
        resource_id: str
        encrypted: bool | None
        screen_lock: bool = True

    @resource("laptops", scope="run", provider="acme", resource_type="Acme::Laptop")
    def laptops(config, config_dir):
        path = config_dir / config.settings("acme").inventory
        return [Laptop(**row) for row in json.loads(path.read_text())]

    disk = control("laptop-disk-encryption", criteria=["CC6.1"])
    lock = control("laptop-screen-lock", criteria=["CC6.1"])

    @disk.check("acme.laptop.disk-encrypted", over="laptops", severity="high")
    def disk_encrypted(laptop):
        """Laptop disks are encrypted."""
        if laptop.encrypted is None:
            skip("no MDM data")
        assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"

    @lock.check("acme.laptop.screen-lock", over="laptops", severity="low")
    def screen_lock(laptop):
        """Laptop screens lock."""
        assert laptop.screen_lock, f"{laptop.resource_id} never locks"
    '''
)

FLEET = [
    {"resource_id": "mac-1", "encrypted": True},
    {"resource_id": "mac-2", "encrypted": False},
    {"resource_id": "mac-3", "encrypted": None},
]

BASE_CONFIG = 'plugins = ["compliance/checks.py"]\nproviders = ["acme"]\n'

WAIVER = """
[[waivers]]
check = "{check}"
resource = "{resource}"
justification = "being replaced"
approved_by = "ciso@example.com"
expires = {expires}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "checks.py").write_text(PLUGIN)
    (tmp_path / "fleet.json").write_text(json.dumps(FLEET))
    (tmp_path / "soc2checks.toml").write_text(BASE_CONFIG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(project: Path, extra: str) -> Path:
    path = project / "soc2checks.toml"
    path.write_text(BASE_CONFIG + extra)
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    got = capsys.readouterr()
    return code, got.out, got.err


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return cli(capsys, "run", "--no-progress", *args)


def one_line_error(code: int, err: str) -> str:
    """Asserts the shape every mistake must have, and returns the line."""
    assert code == 2, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("soc2checks: error: "), err
    return lines[0]


# ---- 1. waivers and owners that name nothing --------------------------------------------
def test_waiver_for_an_unknown_check_is_an_error_with_a_suggestion(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(
        project,
        WAIVER.format(check="acme.laptop.disk-encryptd", resource="*", expires="2099-01-01"),
    )
    line = one_line_error(*run(capsys)[::2])
    assert "waivers[0].check: unknown check 'acme.laptop.disk-encryptd'" in line
    assert "(did you mean 'acme.laptop.disk-encrypted'" in line
    # Listing is refused too: the config is wrong whatever the command.
    assert cli(capsys, "list", "checks")[0] == 2


def test_waiver_glob_that_matches_no_check_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, WAIVER.format(check="acme.laptops.*", resource="*", expires="2099-01-01"))
    line = one_line_error(*run(capsys)[::2])
    assert "waivers[0].check: 'acme.laptops.*' matches no check" in line
    assert "(did you mean 'acme.laptop.*'?)" in line
    configure(project, WAIVER.format(check="zzz*", resource="*", expires="2099-01-01"))
    line = one_line_error(*run(capsys)[::2])
    assert "'zzz*' matches no check; see 'soc2checks list checks'" in line


def test_owners_naming_an_unknown_control_is_an_error_with_a_suggestion(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, '[owners]\n"laptop-disk-encryptoin" = "it@example.com"\n')
    line = one_line_error(*run(capsys)[::2])
    assert "[owners] names unknown control 'laptop-disk-encryptoin'" in line
    assert "did you mean 'laptop-disk-encryption'" in line
    configure(project, '[owners]\n"laptop-disk-encryption" = "it@example.com"\n')
    code, out, _ = cli(capsys, "list", "controls")
    assert code == 0 and "it@example.com" in out


def test_waiver_resource_that_matched_nothing_is_a_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(
        project,
        WAIVER.format(check="acme.laptop.disk-*", resource="mac-22", expires="2099-01-01"),
    )
    code, out, err = run(capsys, "-f", "json")
    assert code == 1  # mac-2 still fails: the waiver waived nothing
    assert "soc2checks: warning: waiver for check 'acme.laptop.disk-*' on resource 'mac-22'" in err
    assert "matched none of the 3 resource(s)" in err
    warnings = json.loads(out)["run"]["warnings"]
    assert any("'mac-22'" in w and "matched none" in w for w in warnings)
    # The right pattern waives mac-2, and nothing is said about it.
    configure(
        project, WAIVER.format(check="acme.laptop.disk-*", resource="mac-2", expires="2099-01-01")
    )
    code, out, err = run(capsys, "-f", "json")
    assert code == 0, err
    assert "matched none" not in err and json.loads(out)["summary"]["waived"] == 1


def test_waiver_of_checks_not_run_is_not_judged(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(
        project,
        WAIVER.format(check="acme.laptop.disk-*", resource="mac-22", expires="2099-01-01"),
    )
    code, _, err = run(capsys, "--check", "acme.laptop.screen-lock")
    assert code == 0, err
    assert "matched none" not in err


# ---- 2. provider tables ----------------------------------------------------------------
def test_plugin_settings_forbid_unknown_keys_by_default(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, '[acme]\ninventroy = "laptops.json"\n')
    line = one_line_error(*run(capsys)[::2])
    assert line.endswith(
        "soc2checks.toml: unknown key 'inventroy' in [acme]; valid keys: inventory "
        "(did you mean 'inventory'?)"
    )
    # A settings model may still opt in to extra keys explicitly.
    src = (project / "compliance" / "checks.py").read_text()
    (project / "compliance" / "checks.py").write_text(
        src.replace(
            "class AcmeSettings(BaseModel):",
            "from pydantic import ConfigDict\n\nclass AcmeSettings(BaseModel):\n"
            '    model_config = ConfigDict(extra="allow")',
        )
    )
    assert run(capsys)[0] == 1


def test_top_level_key_below_a_table_header_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, '[acme]\ninventory = "fleet.json"\njobs = 4\n')
    line = one_line_error(*run(capsys)[::2])
    assert "unknown key 'jobs' in [acme]" in line
    assert "did you mean to put `jobs` above `[acme]`?" in line
    configure(project, WAIVER.format(check="acme.*", resource="*", expires="2099-01-01") + "jobs=4")
    line = one_line_error(*run(capsys)[::2])
    assert "did you mean to put `jobs` above `[[waivers]]`?" in line


@pytest.mark.parametrize(
    ("table", "valid"),
    [
        ("aws", "regions, accounts, role_name"),
        ("github", "orgs, base_url, token"),
        ("files", "path, policies, risk_register"),
    ],
)
def test_first_party_provider_tables_reject_unknown_keys(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, valid: str
) -> None:
    configure(project, f"[{table}]\nbogus_key = 1\n")
    line = one_line_error(*cli(capsys, "list", "checks")[::2])
    assert f"unknown key 'bogus_key' in [{table}]; valid keys: {valid}" in line
    assert "Extra inputs" not in line


def test_provider_table_errors_read_like_top_level_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, '[aws]\nregion = "us-east-1"\n')
    line = one_line_error(*cli(capsys, "list", "checks")[::2])
    assert "unknown key 'region' in [aws]; valid keys: regions, accounts, " in line
    assert line.endswith("(did you mean 'regions'?)")
    configure(project, '[aws]\nregion = "us-east-1"\nacount = "1"\n')
    line = one_line_error(*cli(capsys, "list", "checks")[::2])
    assert "unknown key 'region' in [aws]" in line and line.endswith("; also unknown: 'acount'")
    # Two problems: both are named, without pydantic's "Value error, " prefix.
    configure(project, '[aws]\nregions = []\naccounts = ["12"]\n')
    line = one_line_error(*cli(capsys, "list", "checks")[::2])
    assert "aws.regions: give at least one region" in line
    assert "aws.accounts: '12' is not a 12-digit AWS account ID" in line
    assert "Value error" not in line and "more)" not in line


def test_many_problems_name_every_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(
        project,
        '[github]\norgs = "acme"\nmax_workers = 0\ntimeout_seconds = 0\nmax_wait_seconds = -1\n',
    )
    line = one_line_error(*cli(capsys, "list", "checks")[::2])
    for key in ("orgs", "max_workers", "timeout_seconds", "max_wait_seconds"):
        assert f"github.{key}" in line
    assert "(and 1 more)" not in line


# ---- 3. dates and severities -----------------------------------------------------------
def test_date_in_the_wrong_format_names_the_expected_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, WAIVER.format(check="acme.*", resource="*", expires='"31/12/2026"'))
    line = one_line_error(*run(capsys)[::2])
    assert "waivers[0].expires: expected a date like 2027-03-31 (YYYY-MM-DD), got '31/12/2026'" in (
        line
    )
    assert "invalid character" not in line


def test_unquoted_date_parse_error_says_the_date_is_the_problem(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = configure(project, WAIVER.format(check="acme.*", resource="*", expires="12/31/2026"))
    line = one_line_error(*run(capsys)[::2])
    number = path.read_text().splitlines().index("expires = 12/31/2026") + 1
    assert f"line {number}: expires = 12/31/2026 is not a TOML date" in line
    assert "expected a date like 2027-03-31 (YYYY-MM-DD)" in line
    # A parse error elsewhere stays a plain TOML error.
    configure(project, "providers = [\n")
    line = one_line_error(*run(capsys)[::2])
    assert "not valid TOML" in line and "TOML date" not in line


def test_unknown_severity_lists_the_valid_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = project / "compliance" / "checks.py"
    plugin.write_text(plugin.read_text().replace('severity="high"', 'severity="hgih"'))
    line = one_line_error(*run(capsys)[::2])
    assert "unknown severity 'hgih'; valid severities: critical, high, medium, low, info" in line
    assert "(did you mean 'high'?)" in line


# ---- 4. --config, paths and --jobs -----------------------------------------------------
def test_config_given_a_folder_says_it_is_a_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = one_line_error(*run(capsys, "--config", ".")[::2])
    assert f"{project.resolve()}: is a folder, not a config file" in line
    assert f"did you mean --config {project.resolve() / 'soc2checks.toml'}?" in line
    (project / "empty").mkdir()
    line = one_line_error(*run(capsys, "--config", "empty")[::2])
    assert "is a folder, not a config file" in line and "not found" not in line


def test_config_path_is_shown_the_same_way_however_it_was_given(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(project, "jobs = 0\n")
    absolute = str((project / "soc2checks.toml").resolve())
    seen = set()
    for args in ([], ["--config", "soc2checks.toml"], ["--config", "./soc2checks.toml"]):
        seen.add(one_line_error(*run(capsys, *args)[::2]))
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    seen.add(one_line_error(*run(capsys, "--config", "../soc2checks.toml")[::2]))
    seen.add(one_line_error(*run(capsys, "--config", absolute)[::2]))
    assert seen == {
        f"soc2checks: error: {absolute}: jobs: expected a whole number from 1 to 256, got 0"
    }


@pytest.mark.parametrize("value", ["0", "-5", "1000", "many"])
def test_jobs_flag_and_jobs_key_share_one_rule(
    project: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    flag = one_line_error(*run(capsys, "--jobs", value)[::2])
    assert "--jobs" in flag and "expected a whole number from 1 to 256" in flag
    configure(project, f"jobs = {value if value != 'many' else repr(value)}\n")
    key = one_line_error(*run(capsys)[::2])
    assert "jobs: expected a whole number from 1 to 256" in key
    # The rule, word for word, is the same.
    assert flag.split("expected", 1)[1].split(" (see")[0] == key.split("expected", 1)[1]


def test_jobs_bounds_are_accepted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--jobs", "1")[0] == 1
    assert run(capsys, "--jobs", "256")[0] == 1


# ---- 5. stale baseline entries ---------------------------------------------------------
def test_fixed_baseline_failures_are_listed_on_every_gated_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fleet = [*FLEET, {"resource_id": "mac-4", "encrypted": False, "screen_lock": False}]
    (project / "fleet.json").write_text(json.dumps(fleet))
    assert run(capsys, "--write-baseline", "base.json", "--fail-on", "never")[0] == 0
    code, _, err = run(capsys, "--baseline", "base.json")
    assert code == 0 and "no longer fail" not in err  # nothing fixed yet
    # mac-2 is fixed; mac-4 is retired; mac-4's screen lock is therefore gone too.
    fleet[1] = {"resource_id": "mac-2", "encrypted": True}
    (project / "fleet.json").write_text(json.dumps(fleet[:3]))
    code, _, err = run(capsys, "--baseline", "base.json")
    assert code == 0, err
    assert (
        "soc2checks: warning: 3 baseline entries no longer fail: refresh with --write-baseline"
        in err
    )
    assert "mac-2" not in err  # named with -v
    code, out, err = run(capsys, "--baseline", "base.json", "-v", "-f", "json")
    names = [
        "acme.laptop.disk-encrypted mac-2",
        "acme.laptop.disk-encrypted mac-4",
        "acme.laptop.screen-lock mac-4",
    ]
    for name in names:
        assert f"baseline entry no longer fails: {name}" in err
    warnings = json.loads(out)["run"]["warnings"]
    assert [w for w in warnings if w.startswith("baseline entry")] == [
        f"baseline entry no longer fails: {n} (acme)" for n in names
    ]
    # Refreshing the baseline clears the warning.
    run(capsys, "--write-baseline", "base.json", "--fail-on", "never")
    assert "no longer fail" not in run(capsys, "--baseline", "base.json")[2]


def test_baseline_entries_of_checks_not_run_are_not_called_stale(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--write-baseline", "base.json", "--fail-on", "never")[0] == 0
    code, _, err = run(capsys, "--baseline", "base.json", "--check", "acme.laptop.screen-lock")
    assert code == 0 and "no longer fail" not in err
    # A fixture that cannot fetch judges nothing: its entries are not known to be fixed.
    (project / "fleet.json").write_text("not json")
    code, _, err = run(capsys, "--baseline", "base.json")
    assert code == 3, err
    assert "no longer fail" not in err


# ---- 6. config_dir ---------------------------------------------------------------------
def test_local_plugin_finds_files_next_to_the_config_from_any_folder(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, err = run(capsys, "--config", "../soc2checks.toml", "-f", "json")
    assert code == 1, err
    statuses = {
        f["resource_id"]: f["status"]
        for f in json.loads(out)["findings"]
        if f["check_id"] == "acme.laptop.disk-encrypted"
    }
    assert statuses == {"mac-1": "pass", "mac-2": "fail", "mac-3": "skip"}


def test_top_level_key_below_a_params_header_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = project / "compliance" / "checks.py"
    plugin.write_text(
        plugin.read_text().replace(
            "def screen_lock(laptop):", "def screen_lock(laptop, grace_minutes=5):"
        )
    )
    configure(project, '[params."acme.laptop.screen-lock"]\ngrace_minutes = 10\njobs = 4\n')
    line = one_line_error(*run(capsys)[::2])
    assert "has no parameter 'jobs' (its parameters: grace_minutes)" in line
    assert 'did you mean to put `jobs` above `[params."acme.laptop.screen-lock"]`?' in line
    configure(project, '[params."acme.laptop.screen-lock"]\ngrace_minuts = 10\n')
    line = one_line_error(*run(capsys)[::2])
    assert "(did you mean 'grace_minutes'?)" in line and "above" not in line


@pytest.mark.parametrize("jobs", [0, -5, 1000])
def test_python_api_jobs_follow_the_same_rule(project: Path, jobs: int) -> None:
    import soc2checks

    with pytest.raises(soc2checks.UsageError, match="jobs: expected a whole number from 1 to 256"):
        soc2checks.run(config="soc2checks.toml", jobs=jobs)
    assert soc2checks.run(config="soc2checks.toml", jobs=1).summary.fail == 1


def test_top_level_key_in_a_table_without_settings_model_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = project / "compliance" / "checks.py"
    plugin.write_text(plugin.read_text().replace(", settings=AcmeSettings)", ")"))
    plugin.write_text(
        plugin.read_text().replace('config.settings("acme").inventory', '"fleet.json"')
    )
    configure(project, '[acme]\ncolour = "red"\n')
    assert run(capsys)[0] == 1  # the plugin owns its table's keys
    configure(project, '[acme]\ncolour = "red"\nexclude_checks = ["acme.laptop.screen-lock"]\n')
    line = one_line_error(*run(capsys)[::2])
    assert "did you mean to put `exclude_checks` above `[acme]`?" in line
