"""The command line's outputs: stdout and file paths checked up front, shared error
causes shown once, baseline markers, glob suggestions, machine-readable listings.

Every test goes through ``soc2checks.cli.main`` (or a subprocess) with a real local
plugin whose fixture leaves a marker file when it fetches, so "before any API call"
is observed, not assumed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from soc2checks.cli import main

PLUGIN = textwrap.dedent(
    '''
    """Laptop fleet controls, kept in the team's repo."""
    from pathlib import Path
    from pydantic import BaseModel
    from soc2checks import control, resource

    class Laptop(BaseModel):
        resource_id: str
        encrypted: bool
        firewall: bool

    FLEET = [("mac-1", True, True), ("mac-2", False, True)]
    BROKEN = []

    @resource("laptops", scope="run", resource_type="Acme::Laptop")
    def laptops():
        Path("fetched.marker").write_text("fetched")
        if BROKEN:
            raise ConnectionError(BROKEN[0])
        return [Laptop(resource_id=n, encrypted=e, firewall=f) for n, e, f in FLEET]

    disk = control("laptop-disk-encryption", criteria=["CC6.1"])

    @disk.check("acme.laptop.disk-encrypted", over="laptops", severity="high")
    def disk_encrypted(laptop):
        """Laptop disks are encrypted."""
        assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"

    @disk.check("acme.laptop.firewall-on", over="laptops", severity="medium")
    def firewall_on(laptop):
        """Laptop firewalls are on."""
        assert laptop.firewall, f"{laptop.resource_id} has its firewall off"
    '''
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "acme.py").write_text(PLUGIN)
    (tmp_path / "soc2checks.toml").write_text(
        'plugins = ["compliance/acme.py"]\nproviders = ["acme"]\n'
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit_plugin(project: Path, old: str, new: str) -> None:
    path = project / "compliance" / "acme.py"
    src = path.read_text()
    assert old in src
    path.write_text(src.replace(old, new))


def run_cli(*args: str) -> int:
    return main(["run", "--no-progress", *args])


def one_line_usage_error(capsys: pytest.CaptureFixture[str], code: int) -> str:
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("soc2checks: error: "), lines[0]
    assert "internal error" not in captured.err and "Traceback" not in captured.err
    return lines[0]


# ---- 1. two formats on stdout ------------------------------------------------------------
def test_two_formats_on_stdout_are_refused_before_fetching(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = one_line_usage_error(capsys, run_cli("-f", "json", "-f", "markdown"))
    assert "json and markdown would both write to standard output" in line
    assert "-f markdown:" in line  # says how to fix it
    assert capsys.readouterr().out == ""
    assert not (project / "fetched.marker").exists()


def test_one_format_on_stdout_and_others_in_files_is_fine(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("-f", "json", "-f", "markdown:out/r.md") == 1
    doc = json.loads(capsys.readouterr().out)  # stdout holds exactly one document
    assert doc["summary"]["fail"] == 1
    assert (project / "out" / "r.md").read_text().strip()


# ---- 2. output paths checked before the run ------------------------------------------------
def test_write_baseline_creates_missing_folders(project: Path) -> None:
    assert run_cli("--write-baseline", "nodir/deeper/b.json", "--fail-on", "never") == 0
    doc = json.loads((project / "nodir" / "deeper" / "b.json").read_text())
    assert [r["resource_id"] for r in doc["findings"]] == ["mac-2"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["-f", "json:compliance"], "-f json: compliance is a folder"),
        (["--write-baseline", "compliance"], "--write-baseline: compliance is a folder"),
        (["-f", "html:newdir/"], "-f html: newdir is a folder"),
        (["-f", "json:soc2checks.toml/f.json"], "is a file, not a folder"),
        (["--write-baseline", "soc2checks.toml/sub/b.json"], "is a file, not a folder"),
        (["-f", "json:/proc/soc2checks-test/f.json"], "cannot create the folder /proc"),
        (["-f", "json:same.json", "-f", "sarif:same.json"], "would both write to same.json"),
        (["-f", "json:b.json", "--write-baseline", "b.json"], "would both write to b.json"),
        (["-f", "json:"], "give a file after ':'"),
    ],
)
def test_unwritable_outputs_are_one_line_usage_errors_before_fetching(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    line = one_line_usage_error(capsys, run_cli(*args))
    assert fragment in line
    assert not (project / "fetched.marker").exists()
    assert not (project / "same.json").exists() and not (project / "b.json").exists()


def test_unwritable_file_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # /proc refuses new files even to root, so this holds whoever runs the tests.
    line = one_line_usage_error(capsys, run_cli("-f", "json:/proc/soc2checks-test.json"))
    assert "cannot write /proc/soc2checks-test.json" in line
    assert not (project / "fetched.marker").exists()


# ---- 3. one cause shown once -------------------------------------------------------------
def test_one_cause_of_every_error_is_shown_once_with_its_count(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_plugin(project, "BROKEN = []", "BROKEN = ['MDM API unreachable']")
    assert run_cli("-f", "table", "-f", "json:f.json") == 3
    captured = capsys.readouterr()
    headline = (
        "2 acme checks could not judge, one cause: could not fetch 'laptops': "
        "ConnectionError: MDM API unreachable"
    )
    err = [line for line in captured.err.splitlines() if "one cause" in line]
    assert err == [f"soc2checks: error: {headline}"]
    assert captured.out.count("MDM API unreachable") == 1  # in the table: once
    assert f"  [1] {headline}" in captured.out
    assert (
        "ERROR   2 checks: cause [1] above: acme.laptop.disk-encrypted, acme.laptop.firewall-on"
        in captured.out
    )
    findings = json.loads((project / "f.json").read_text())["findings"]
    assert [(f["check_id"], f["status"]) for f in findings] == [
        ("acme.laptop.disk-encrypted", "error"),
        ("acme.laptop.firewall-on", "error"),
    ]


def test_different_causes_are_listed_per_finding(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_plugin(
        project,
        'assert laptop.firewall, f"{laptop.resource_id} has its firewall off"',
        'raise TimeoutError(f"{laptop.resource_id}: firewall API timed out")',
    )
    assert run_cli() == 1
    captured = capsys.readouterr()
    assert "one cause" not in captured.err + captured.out
    assert "mac-1: firewall API timed out" in captured.out
    assert "mac-2: firewall API timed out" in captured.out


_AWS_KEYS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


_SSO_CONFIG = """\
[profile audit]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-east-1
"""


@pytest.mark.parametrize(
    ("profile", "cause"),
    [
        (
            None,
            "no AWS credentials found: set AWS_PROFILE, run `aws sso login`, or see "
            "docs/providers/aws.md (sts:GetCallerIdentity on caller: Unable to locate "
            "credentials)",
        ),
        (
            "nope",
            "AWS profile 'nope' not found in the AWS config files: check AWS_PROFILE, "
            "--profile and the [aws] profile setting, or see docs/providers/aws.md",
        ),
        (
            "audit",  # an SSO profile whose token was never fetched
            "the AWS SSO session has expired or was never started: run `aws sso login` (or "
            "see docs/providers/aws.md) (sts:GetCallerIdentity on caller: Error loading SSO "
            "Token: Token for https://example.awsapps.com/start does not exist)",
        ),
    ],
)
def test_aws_without_credentials_is_one_cause_with_the_fix(
    tmp_path: Path, profile: str | None, cause: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in _AWS_KEYS}
    config = tmp_path / "aws-config"
    config.write_text(_SSO_CONFIG)
    env.update(
        HOME=str(tmp_path),  # no ~/.aws/sso/cache of the person running the tests
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_CONFIG_FILE=str(config),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL="http://127.0.0.1:9",  # should anything try, nobody listens
    )
    if profile:
        env["AWS_PROFILE"] = profile
    r = subprocess.run(
        [sys.executable, "-m", "soc2checks.cli", "run", "--provider", "aws", "--no-progress",
         "-f", "table", "-f", "json:f.json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 3, r.stderr
    findings = json.loads((tmp_path / "f.json").read_text())["findings"]
    checks = sorted({f["check_id"] for f in findings})
    assert len(checks) > 20 and all(f["status"] == "error" for f in findings)
    assert len(findings) == len(checks)  # still one finding per check
    causes = [line for line in r.stderr.splitlines() if "one cause" in line]
    assert causes == [
        f"soc2checks: error: {len(checks)} aws checks could not judge, one cause: "
        f"could not fetch 'aws_account': AwsNoCredentials: {cause}"
    ]
    assert r.stdout.count(cause) == 1
    for raw in ("NoCredentialsError", "ProfileNotFound", "SSOTokenLoadError"):
        assert raw not in r.stdout + r.stderr


# ---- 5. glob suggestions -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("glob", "fragment"),
    [
        ("acme.laptop.encrypt*", "(did you mean 'acme.laptop.disk-encrypted'?)"),
        ("acme.laptop.*wall", "(did you mean 'acme.laptop.firewall-on'?)"),
        ("acme.lapto.fire*", "(did you mean 'acme.laptop.firewall-on'?)"),
    ],
)
def test_glob_that_matches_nothing_suggests_close_ids(
    project: Path, capsys: pytest.CaptureFixture[str], glob: str, fragment: str
) -> None:
    line = one_line_usage_error(capsys, run_cli("--check", glob))
    assert f"check '{glob}' matches nothing {fragment}" in line


def test_aws_mfa_glob_suggests_the_mfa_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    line = one_line_usage_error(capsys, main(["list", "checks", "--check", "aws.iam.mfa*"]))
    assert "'aws.iam.console-user-mfa'" in line and "'aws.iam.root-mfa'" in line


# ---- 6. regressions: readable scope, marked in the table -------------------------------------
def test_regressions_are_marked_new_and_their_scope_is_readable(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("--write-baseline", "base.json", "--fail-on", "never") == 0
    edit_plugin(project, '("mac-1", True, True)', '("mac-1", False, True)')
    capsys.readouterr()
    assert run_cli("--baseline", "base.json") == 1
    captured = capsys.readouterr()
    assert "soc2checks: regression: acme.laptop.disk-encrypted mac-1: mac-1 is not encrypted" in (
        captured.err
    )
    assert "{}" not in captured.err
    table = captured.out.splitlines()
    new_rows = [line for line in table if line.startswith("  FAIL    new ")]
    old_rows = [line for line in table if line.startswith("  FAIL         high")]
    assert [r.split()[4] for r in new_rows] == ["mac-1"]
    assert [r.split()[3] for r in old_rows] == ["mac-2"]
    assert "1 of the failures and errors are not in the baseline (marked new)" in captured.out


def test_no_new_column_without_a_baseline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli() == 1
    out = capsys.readouterr().out
    assert "  FAIL    high      acme.laptop.disk-encrypted  mac-2" in out
    assert "marked new" not in out


# ---- 7. list --format json -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("what", "key"),
    [
        ("checks", "check"),
        ("controls", "control"),
        ("criteria", "criterion"),
        ("plugins", "plugin"),
        ("resources", "resource"),
    ],
)
def test_list_json_is_sorted_and_parses(
    project: Path, capsys: pytest.CaptureFixture[str], what: str, key: str
) -> None:
    assert main(["list", what, "--format", "json"]) == 0
    text = capsys.readouterr().out
    rows = json.loads(text)
    assert rows and all(list(r) == sorted(r) for r in rows)
    assert len({tuple(r) for r in rows}) == 1  # every row has the same keys
    ids = [r[key] for r in rows]
    assert len(ids) == len(set(ids))
    if what != "criteria":  # criteria keep the framework's order (CC1.1 ... P8.1)
        assert ids == sorted(ids)
    assert main(["list", what, "--format", "json"]) == 0
    assert capsys.readouterr().out == text  # stable


def test_list_checks_json_holds_the_table_data(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "checks", "--provider", "acme", "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "check": "acme.laptop.disk-encrypted",
            "control": "laptop-disk-encryption",
            "criteria": ["CC6.1"],
            "provider": "acme",
            "severity": "high",
            "title": "Laptop disks are encrypted.",
        },
        {
            "check": "acme.laptop.firewall-on",
            "control": "laptop-disk-encryption",
            "criteria": ["CC6.1"],
            "provider": "acme",
            "severity": "medium",
            "title": "Laptop firewalls are on.",
        },
    ]
    assert main(["list", "checks", "--provider", "acme"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[2].split()[:5] == [
        "acme.laptop.disk-encrypted", "laptop-disk-encryption", "CC6.1", "high", "acme",
    ]  # fmt: skip
    assert not (project / "fetched.marker").exists()  # listing fetches nothing


# ---- 4. the same plugin from a package and from a file -------------------------------------
def _install(site: Path, name: str, source: str) -> None:
    """A real installed distribution: a module plus a .dist-info with an entry point."""
    (site / f"{name}.py").write_text(source)
    info = site / f"{name}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(f"[soc2checks]\n{name} = {name}\n")
    (info / "RECORD").write_text("")


def _cli(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "soc2checks.cli", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("local_source", "what"),
    [
        (PLUGIN, "fixture 'laptops'"),
        (PLUGIN[: PLUGIN.index("@resource")] + PLUGIN[PLUGIN.index("disk = control") :],
         "control 'laptop-disk-encryption'"),
        ('from soc2checks import check\n\n'
         '@check("acme.laptop.disk-encrypted", control="laptop-disk-encryption", over="laptops")\n'
         "def disk(laptop):\n    assert laptop.encrypted\n",
         "check 'acme.laptop.disk-encrypted'"),
    ],
)  # fmt: skip
def test_same_plugin_from_a_package_and_a_file_names_both(
    project: Path, local_source: str, what: str
) -> None:
    site = project / "site"
    site.mkdir()
    _install(site, "acme_soc2", PLUGIN)
    (project / "compliance" / "acme.py").write_text(local_source)
    r = _cli(site, project, "run", "--no-progress")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        f"soc2checks: error: {what} is defined by both plugin 'acme_soc2' (entry point "
        "'acme_soc2' of distribution acme_soc2) and plugin 'acme' (file compliance/acme.py); "
        "if one is a copy of the other, load only one: -p no:acme (or -p no:acme_soc2)"
    ]
    assert "soc2checks_local" not in r.stderr
    # The suggested fix works: the package's copy alone runs.
    fixed = _cli(site, project, "run", "--no-progress", "-p", "no:acme", "--provider", "acme_soc2")
    assert fixed.returncode == 1, fixed.stderr
    assert "mac-2 is not encrypted" in fixed.stdout


def test_explain_names_a_local_plugin_by_its_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", "acme.laptop.disk-encrypted"]) == 0
    out = capsys.readouterr().out
    assert "defined in:  file compliance/acme.py (plugin 'acme')" in out
    assert "soc2checks_local" not in out
