"""soc2checks: SOC 2 compliance as code.

The public API is what this module exports; everything in ``soc2checks._*`` is
private. Writing a control::

    from soc2checks import control

    mfa = control("mfa-enforced", criteria=["CC6.1"])

    @mfa.check("aws.iam.console-user-mfa", over="aws_iam_users", severity="high")
    def console_user_has_mfa(user):
        assert user.mfa_active, f"{user.name} can sign in without MFA"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

from soc2checks._api import Control, check, control, fail, resource, scope, skip
from soc2checks._config import Config, Waiver
from soc2checks._errors import (
    ConfigError,
    MissingDependencyError,
    PluginError,
    Soc2ChecksError,
    UsageError,
)
from soc2checks._model import (
    Finding,
    IdleCheck,
    RunFacts,
    RunInfo,
    RunResult,
    Severity,
    Status,
    Summary,
)
from soc2checks._provider import Provider

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("soc2checks")


def run(
    *,
    checks: Sequence[str] | None = None,
    providers: Sequence[str] | None = None,
    controls: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    config: str | Path | Config | None = None,
    plugins: Sequence[object] = (),
    jobs: int | None = None,
    baseline: str | Path | None = None,
    options: dict[str, Any] | None = None,
) -> RunResult:
    """Run the selected checks and return every finding, without printing anything.

    Every argument is optional: by default every installed check runs with the
    config found in the current folder, as ``soc2checks run`` would:

        import soc2checks

        result = soc2checks.run(providers=["aws"], baseline="soc2-baseline.json")
        if result.regressions:
            raise SystemExit(f"{len(result.regressions)} new failures")
        print(result.summary.pass_, "pass,", result.summary.fail, "fail")

    Args:
        checks: globs on check IDs (``*`` also matches dots: ``"aws.iam.*"``); a glob
            that matches nothing raises [UsageError][soc2checks.UsageError].
        providers: only the checks of these providers (``"aws"``, ``"github"``, ...).
        controls: only the checks of these controls (globs on control IDs).
        criteria: only checks mapped to these criteria (``"CC6.1"`` or ``"CC6.*"``).
        categories: only checks of these categories (``"security"``,
            ``"availability"``, ...).
        config: a path to ``soc2checks.toml`` (or a ``pyproject.toml``), or a loaded
            [Config][soc2checks.Config]; ``None`` looks in the current folder.
        plugins: extra modules or objects to load as plugins, next to the installed
            ones.
        jobs: how many fetches and checks run at once (default: the config's
            ``jobs``, else 16).
        baseline: a baseline file written by ``soc2checks run --write-baseline``;
            with it, [RunResult.regressions][soc2checks.RunResult] and
            [RunResult.new_errors][soc2checks.RunResult] list what the baseline
            does not hold.
        options: the options a provider plugin adds to the command line, by their
            ``dest`` (``{"aws_regions": ["eu-west-1"], "aws_profile": "audit"}``);
            plugins read them with ``config.getoption``.

    Returns:
        The findings, their summary, the run's facts and the baseline comparison.

    Raises:
        Soc2ChecksError: a problem the user must fix (a subclass: ``ConfigError``,
            ``PluginError``, ``UsageError``, ``MissingDependencyError``). Problems met
            while fetching or judging are never raised: they become ``error``
            findings. Under ``python -O`` (assertions disabled) it raises
            [UsageError][soc2checks.UsageError]. Checks that judged nothing are listed in
            [RunResult.idle_checks][soc2checks.RunResult].
    """
    from soc2checks._engine import run_checks

    return run_checks(
        checks=checks,
        providers=providers,
        controls=controls,
        criteria=criteria,
        categories=categories,
        config=config,
        plugins=plugins,
        jobs=jobs,
        baseline=baseline,
        options=options,
    )


__all__ = [
    "Config",
    "ConfigError",
    "Control",
    "Finding",
    "IdleCheck",
    "MissingDependencyError",
    "PluginError",
    "Provider",
    "RunFacts",
    "RunInfo",
    "RunResult",
    "Severity",
    "Soc2ChecksError",
    "Status",
    "Summary",
    "UsageError",
    "Waiver",
    "__version__",
    "check",
    "control",
    "fail",
    "hookimpl",
    "resource",
    "run",
    "scope",
    "skip",
]
