"""Hook specifications: what a soc2checks plugin can implement.

A plugin is a module named by an entry point in the ``soc2checks`` group (or listed
under ``plugins`` in the config). The engine scans that module for module-level
controls, checks and resource fixtures, and registers it with pluggy, so it may also
implement any hook below. Implement a hook by defining a function of the same name
decorated with ``soc2checks.hookimpl``. Every hook is optional.

The reference in ``docs/hooks.md`` is generated from these docstrings, and a test
fails if the two drift apart.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import Finding, RunResult
    from soc2checks._provider import Provider

hookspec = pluggy.HookspecMarker("soc2checks")


@hookspec
def soc2checks_addoption(parser: argparse.ArgumentParser) -> None:
    """Add command-line options to ``soc2checks run`` (and ``permissions``, ``demo``).

    :param parser: the ``argparse`` parser of the subcommand; add options with
        ``parser.add_argument`` and give each a ``dest`` prefixed with your plugin
        name. Read them back with :meth:`Config.getoption`.

    Called once per plugin, before the command line is parsed. Plugins named only in
    the config file are loaded after parsing and cannot add options.
    """


@hookspec
def soc2checks_register_providers() -> Iterable[Provider]:
    """Return the providers this plugin adds (see :class:`soc2checks.Provider`).

    A provider names a source of resources (``aws``, ``github``), the pydantic model
    that validates its config table, the packages it needs (with the pip extra that
    installs them) and how to print the permissions its fixtures declare.
    """
    return ()


@hookspec
def soc2checks_register_resources() -> Iterable[object]:
    """Return modules (or functions) holding ``@resource`` and ``@scope`` fixtures.

    The plugin module itself is always scanned; use this hook when fixtures live in
    other modules of your package.
    """
    return ()


@hookspec
def soc2checks_register_controls() -> Iterable[object]:
    """Return modules, controls or check functions to collect.

    The plugin module itself is always scanned; use this hook when a control pack
    keeps one module per control.
    """
    return ()


@hookspec
def soc2checks_register_reporters() -> Mapping[str, Callable[..., str]]:
    """Return output formats, by name, that ``--format NAME`` selects.

    Each value is called as ``render(result, config, **options)`` with the finished
    :class:`~soc2checks.RunResult` and returns the text to write; it ignores options
    it does not know. A value that also has ``start(out, config, **options)``
    (returning an object with ``write(finding)`` and ``finish(result)``; see
    ``soc2checks.reporters.StreamingReporter``) is streamed: the command line
    writes each finding as it is made instead of rendering at the end.
    A name is registered once: a plugin cannot replace a built-in format (``json``,
    ``sarif`` ...) or another plugin's, the run stops with a load error instead.
    """
    return {}


@hookspec
def soc2checks_record_types() -> Iterable[object]:
    """Return the record types this plugin declares for the ``files`` records engine.

    Each is a ``soc2checks_files.records.RecordType``: a name, the file patterns
    under the records folder (``training*`` finds ``training.csv``, ``.yaml``,
    ``.yml`` or ``.json``), the columns with their types, which are required, the
    unique key and the date field. The ``files`` provider reads every declared type
    once per run into the ``files_record_book`` fixture, so a company's own checks
    can judge its own exports::

        @hookimpl
        def soc2checks_record_types():
            from soc2checks_files.records import Column, RecordType
            return [RecordType(name="laptop-audits", patterns=("laptops*",),
                               columns=(Column(name="serial", required=True),
                                        Column(name="audited_on", type="date")),
                               key="serial", date_field="audited_on")]

    A name declared twice is an error of every check that reads records.
    """
    return ()


@hookspec
def soc2checks_register_frameworks() -> Iterable[object]:
    """Return frameworks (``soc2checks.frameworks.Framework``) beyond the Trust Services
    Criteria, or mappings of your controls to one.

    A framework lists requirement IDs with short titles and maps control IDs to them;
    ``--framework ID`` of ``list criteria`` and ``readiness`` then reports by its
    requirements. Registering a framework already registered (same ID, same
    requirements) adds to its mapping::

        @hookimpl
        def soc2checks_register_frameworks():
            from soc2checks.frameworks import iso27001_annex_a
            return [iso27001_annex_a(mapping={"laptop-disk-encryption": ("8.1",)})]

    A mapping that names an unknown requirement or control is a load error.
    """
    return ()


@hookspec
def soc2checks_configure(config: Config) -> None:
    """Called once the configuration is loaded and validated, before any fetch.

    :param config: the run's :class:`~soc2checks.Config`. Raise
        :class:`soc2checks.ConfigError` with a one-line message to reject it.
    """


@hookspec
def soc2checks_finding(finding: Finding) -> None:
    """Observe each finding as soon as it is made (after waivers are applied).

    Called from worker threads, in no particular order; must not block for long.
    The finding is immutable. If an implementation raises, the run stops with a
    one-line :class:`soc2checks.PluginError` naming the plugin (CLI exit 2).
    """


@hookspec
def soc2checks_run_finished(result: RunResult, config: Config) -> None:
    """Called once when the run is complete, with every finding, sorted.

    :param result: the :class:`~soc2checks.RunResult`, the same object
        :func:`soc2checks.run` returns.
    :param config: the run's configuration.
    """


@hookspec
def soc2checks_notify(finding: Finding, kind: str, result: RunResult, config: Config) -> None:
    """Called once per regression and once per new error after a gated run.

    A gated run is ``soc2checks run --baseline PATH``: ``kind`` is ``"regression"`` for
    a failure not among the baseline's failures and ``"new-error"`` for an error not
    among its errors, in the order of ``result.regressions`` then ``result.new_errors``.

    :param finding: the regressed (or newly erroring) finding.
    :param kind: ``"regression"`` or ``"new-error"``.
    :param result: the finished :class:`~soc2checks.RunResult`.
    :param config: the run's configuration (``config.data.notify`` is the ``[notify]``
        table).

    A notification never fails the run: if an implementation raises, soc2checks
    prints one warning line naming the plugin on standard error and goes on. The
    built-in webhook notifier (``[notify] webhook = URL``) is called after the hook.
    """


def hook_names() -> list[str]:
    """Every hook defined here, in declaration order."""
    return [name for name in globals() if name.startswith("soc2checks_")]
