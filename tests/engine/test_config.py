"""Config loading, parameters and waivers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.engine.conftest import RunOnly, by_key

from soc2checks import ConfigError, Status, UsageError
from soc2checks._config import load_config

WAIVER = """
[[waivers]]
check = "sample.*"
resource = "user:111-*"
justification = "legacy accounts being migrated"
approved_by = "ciso@example.com"
expires = 2027-03-31
"""


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.soc2checks]\nproviders = ["aws"]\njobs = 4\n'
    )
    cfg = load_config(cwd=tmp_path)
    assert cfg.data.providers == ["aws"] and cfg.data.jobs == 4
    assert cfg.path == (tmp_path / "pyproject.toml")


def test_own_file_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.soc2checks]\njobs = 4\n")
    (tmp_path / "soc2checks.toml").write_text("jobs = 2\n")
    assert load_config(cwd=tmp_path).data.jobs == 2


def test_no_config_is_defaults(tmp_path: Path) -> None:
    cfg = load_config(cwd=tmp_path)
    assert cfg.path is None and cfg.data.waivers == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("providers = [", "not valid TOML"),
        ("jobs = 'many'", "jobs: expected a whole number from 1 to 256, got 'many'"),
        ("categories = ['secrecy']", "unknown category 'secrecy'"),
        (
            WAIVER.replace('approved_by = "ciso@example.com"\n', ""),
            "waivers[0].approved_by: required key is missing",
        ),
        (WAIVER.replace('"legacy accounts being migrated"', '"  "'), "waivers[0].justification"),
        (WAIVER.replace("2027-03-31", "2027-03-31T10:00:00Z"), "not a date and time"),
        (WAIVER + "colour = 'red'\n", "unknown key 'colour' in waivers[0]"),
    ],
)
def test_malformed_config_is_one_line_naming_file_and_key(
    tmp_path: Path, text: str, fragment: str
) -> None:
    p = tmp_path / "soc2checks.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as ei:
        load_config(p)
    msg = str(ei.value)
    assert "\n" not in msg
    assert str(p) in msg and fragment in msg


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_unknown_top_level_table_is_an_error(run_only: RunOnly) -> None:
    with pytest.raises(ConfigError, match="unknown key 'awz'"):
        run_only(config="[awz]\nregions = ['x']\n")


def test_param_override(run_only: RunOnly) -> None:
    r = run_only(
        config='[params."sample.account.user-count"]\nmax_users = 2\n', checks=["sample.account.*"]
    )
    assert by_key(r)[("sample.account.user-count", "acct:111")].status is Status.FAIL
    assert "3 users > 2" in by_key(r)[("sample.account.user-count", "acct:111")].message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            '[params."sample.account.user-cnt"]\nmax_users = 2\n',
            "no check with this ID (did you mean 'sample.account.user-count'?)",
        ),
        (
            '[params."sample.account.user-count"]\nmax_user = 2\n',
            "has no parameter 'max_user' (its parameters: max_users)",
        ),
        ('[params."sample.account.user-count"]\nmax_users = "2"\n', "max_users: expected int"),
    ],
)
def test_bad_params(run_only: RunOnly, text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as ei:
        run_only(config=text)
    assert fragment in str(ei.value)


def test_live_waiver_turns_fail_into_waived(run_only: RunOnly) -> None:
    r = run_only(config=WAIVER, checks=["sample.user.mfa"], today=dt.date(2027, 3, 31))
    bob = by_key(r)[("sample.user.mfa", "user:111-bob")]
    assert bob.status is Status.WAIVED
    assert bob.waiver is not None and bob.waiver.approved_by == "ciso@example.com"
    assert by_key(r)[("sample.user.mfa", "user:222-bob")].status is Status.FAIL
    assert (
        by_key(r)[("sample.user.mfa", "user:111-alice")].status is Status.PASS
    )  # passes stay passes
    assert r.run.warnings == []


def test_expired_waiver_stops_suppressing_and_warns(run_only: RunOnly) -> None:
    r = run_only(config=WAIVER, checks=["sample.user.mfa"], today=dt.date(2027, 4, 1))
    assert by_key(r)[("sample.user.mfa", "user:111-bob")].status is Status.FAIL
    assert len(r.run.warnings) == 1
    assert "expired on 2027-03-31" in r.run.warnings[0]


def test_waiver_never_hides_an_error(run_only: RunOnly) -> None:
    text = WAIVER.replace("user:111-*", "*")
    r = run_only(config=text, checks=["sample.user.mfa"], today=dt.date(2027, 1, 1))
    assert r.summary.error == 1 and r.summary.fail == 0


def test_selection_errors(run_only: RunOnly) -> None:
    with pytest.raises(UsageError, match="check 'sample.user.mfaa' matches nothing"):
        run_only(checks=["sample.user.mfaa"])
    with pytest.raises(UsageError, match="unknown provider 'aws'"):
        run_only(providers=["aws"])
    with pytest.raises(UsageError, match="unknown category"):
        run_only(categories=["secrecy"])
    with pytest.raises(UsageError, match="criterion 'CC99.1' matches nothing"):
        run_only(criteria=["CC99.1"])


def test_config_categories_keep_security_on(run_only: RunOnly) -> None:
    r = run_only(config='categories = ["confidentiality"]\n')
    cats = {f.check_id for f in r.findings}
    assert "sample.user.mfa" in cats  # security is always on
    assert "sample.region.volumes-exist" not in cats  # availability is off


def _provider_module():  # type: ignore[no-untyped-def]
    import types

    from pydantic import BaseModel

    from soc2checks import Provider, hookimpl

    class Settings(BaseModel):
        level: int = 1

    mod = types.ModuleType("configured")

    @hookimpl
    def soc2checks_register_providers() -> list[Provider]:
        return [Provider("sample", settings=Settings)]

    mod.soc2checks_register_providers = soc2checks_register_providers  # type: ignore[attr-defined]
    return mod


def test_unconfigured_provider_is_not_run_by_default(run_only: RunOnly) -> None:
    from tests.engine import sample_plugin

    mod = _provider_module()
    with pytest.raises(UsageError, match="no provider is configured"):
        run_only(sample_plugin, mod)
    r = run_only(sample_plugin, mod, config="[sample]\nlevel = 2\n")
    assert r.summary.total > 0
    r = run_only(sample_plugin, mod, providers=["sample"])
    assert r.summary.total > 0


def test_provider_settings_are_validated_naming_the_key(run_only: RunOnly) -> None:
    from tests.engine import sample_plugin

    with pytest.raises(ConfigError, match=r"sample\.level: Input should be a valid integer"):
        run_only(sample_plugin, _provider_module(), config="[sample]\nlevel = 'high'\n")
