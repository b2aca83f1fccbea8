"""The pytest plugin's ``soc2checks_run`` fixture, as a plugin author uses it."""

from __future__ import annotations

from collections.abc import Callable

from tests.engine import sample_plugin

from soc2checks import RunResult, Status


def test_soc2checks_run_fixture(soc2checks_run: Callable[..., RunResult]) -> None:
    result = soc2checks_run(sample_plugin, checks=["sample.user.mfa"])
    assert {f.check_id for f in result.findings} == {"sample.user.mfa"}
    assert result.summary.fail == 2 and result.summary.error == 1


def test_soc2checks_run_fixture_with_config_text(soc2checks_run: Callable[..., RunResult]) -> None:
    result = soc2checks_run(
        sample_plugin,
        config='[params."sample.account.user-count"]\nmax_users = 1\n',
        checks=["sample.account.*"],
    )
    assert {f.status for f in result.findings} == {Status.FAIL, Status.ERROR}
