"""pytest fixtures for plugin authors (loaded automatically by pytest via ``pytest11``).

``soc2checks_run`` runs the engine over the plugin modules you name, with no other
installed plugin, and returns the :class:`~soc2checks.RunResult`::

    def test_my_control(soc2checks_run):
        result = soc2checks_run(my_plugin_module, checks=["acme.*"])
        assert result.summary.fail == 0

With ``pytest --soc2checks [--soc2checks-config PATH]`` the plugin also collects every
selected check x resource as an item ``CHECK_ID[resource]`` (see ``docs/cli.md``);
without ``--soc2checks`` it adds nothing to a test run.

Importing this module has no side effect and imports no SDK.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from soc2checks import RunResult


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("soc2checks")
    group.addoption(
        "--soc2checks",
        action="store_true",
        default=False,
        help="collect every selected soc2checks check x resource as a test item",
    )
    group.addoption(
        "--soc2checks-config",
        default=None,
        metavar="PATH",
        help="the soc2checks config file (default: soc2checks.toml or pyproject.toml here)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("soc2checks", False):
        from soc2checks._pytest_items import configure

        configure(config)


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselect
def pytest_collection_modifyitems(session: pytest.Session, items: list[pytest.Item]) -> None:
    if session.config.getoption("soc2checks", False):
        from soc2checks._pytest_items import collect

        collect(session, items)


@pytest.fixture
def soc2checks_run(tmp_path: Path) -> Callable[..., RunResult]:
    """Run the given plugin modules (only them) and return the result.

    Keyword arguments: ``config`` (a path to an existing file, or TOML text),
    ``checks``, ``providers``, ``controls``, ``criteria``, ``categories``, ``jobs``,
    ``options``.
    """

    def _run(
        *modules: object,
        config: str | Path | None = None,
        jobs: int | None = None,
        options: dict[str, Any] | None = None,
        **selection: Sequence[str],
    ) -> RunResult:
        from soc2checks._config import load_config
        from soc2checks._engine import prepare, run_checks
        from soc2checks._plugins import build_registry, wrap_extra

        if isinstance(config, str) and not Path(config).is_file():  # TOML text
            path = tmp_path / "soc2checks.toml"
            path.write_text(config, encoding="utf-8")
            cfg = load_config(path, options=options)
        else:
            cfg = load_config(config, options=options, cwd=tmp_path)
        registry = build_registry(wrap_extra(modules))
        prep = prepare(config=cfg, registry=registry, **selection)  # type: ignore[arg-type]
        return run_checks(prepared=prep, jobs=jobs)

    return _run
