"""Exceptions the engine raises for problems a user can fix.

    Soc2ChecksError            base class; the CLI prints its message on one line
    ├── ConfigError            malformed config file, unknown key, bad parameter
    ├── PluginError            a plugin failed to load or declares something broken
    ├── UsageError             bad selection, unknown check ID, unknown format
    └── MissingDependencyError a provider's SDK is not installed (names the extra)

All of them make the CLI exit with status 2. Problems during a run (an API call that
fails, a check that raises) are never exceptions for the caller: they become
``error`` findings.
"""

from __future__ import annotations


class Soc2ChecksError(Exception):
    """Base class of every error soc2checks reports to its user."""


class ConfigError(Soc2ChecksError):
    """The configuration is invalid; the message names the file and key."""


class PluginError(Soc2ChecksError):
    """A plugin could not be loaded or declares something inconsistent."""


class UsageError(Soc2ChecksError):
    """The request cannot be satisfied as asked (unknown check, bad glob, ...)."""


class MissingDependencyError(Soc2ChecksError):
    """A provider needs a package that is not installed."""
