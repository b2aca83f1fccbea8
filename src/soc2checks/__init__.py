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
    config found in the current folder. ``checks`` are globs on check IDs (``*``
    also matches dots); ``plugins`` are extra modules or objects to load as plugins.
    Raises :class:`Soc2ChecksError` subclasses for problems a user must fix (a
    :class:`UsageError` when assertions are disabled with ``python -O``); problems met
    while fetching or judging become ``error`` findings. Checks that judged nothing are
    listed in :attr:`RunResult.idle_checks`.
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
