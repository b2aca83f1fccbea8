"""The Dask executor's failure path and its config table, on a real LocalCluster."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.engine import sample_plugin

from soc2checks._engine import run_checks
from soc2checks._errors import ConfigError
from soc2checks._model import Status


@pytest.mark.slow
def test_a_unit_failing_twice_is_an_error_for_its_scope_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    # the plugin is handed to the coordinator as an object: workers cannot load it, so
    # every unit fails on its first try and its retry
    cfg = tmp_path / "soc2checks.toml"
    cfg.write_text('[executor]\nkind = "dask"\nworkers = 1\nmax_in_flight = 1\n')
    result = run_checks(
        checks=["sample.user.mfa", "sample.account.user-count"],
        config=cfg,
        plugins=[sample_plugin],
    )
    assert result.findings
    assert {f.status for f in result.findings} == {Status.ERROR}
    assert all("work unit failed twice on the Dask cluster" in f.message for f in result.findings)
    assert all("\n" not in f.message for f in result.findings)
    scopes = {tuple(sorted(f.scope.items())) for f in result.findings}
    assert len(scopes) > 1  # one error per check and scope, every scope reported


@pytest.mark.parametrize(
    "table, wanted",
    [
        ('kind = "spark"', "kind"),
        ("max_in_flight = 0", "max_in_flight"),
        ('shceduler = "tcp://x:8786"', "shceduler"),
    ],
)
def test_the_executor_table_is_validated(tmp_path: Path, table: str, wanted: str) -> None:
    cfg = tmp_path / "soc2checks.toml"
    cfg.write_text(f"[executor]\n{table}\n")
    with pytest.raises(ConfigError, match=wanted):
        run_checks(checks=["sample.user.mfa"], config=cfg, plugins=[sample_plugin])
