"""Registers the built-in formats through the ``soc2checks`` entry-point group,
exactly as a third-party reporter plugin would."""

from __future__ import annotations

from collections.abc import Callable

from soc2checks import hookimpl


@hookimpl
def soc2checks_register_reporters() -> dict[str, Callable[..., str]]:
    from soc2checks.reporters import BUILTIN_REPORTERS

    return dict(BUILTIN_REPORTERS)
