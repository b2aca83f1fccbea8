"""soc2checks github provider plugin: organizations, members, repositories and rules.

Importing this module makes no API call and does not import PyGithub; fixtures live
in :mod:`soc2checks_github.resources` and build a client on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType

from soc2checks import Provider, hookimpl
from soc2checks_github.settings import GithubSettings


def _render_permissions(actions: Sequence[str]) -> str:
    from soc2checks_github.resources import render_permissions

    return render_permissions(actions)


PROVIDER = Provider(
    name="github",
    title="GitHub",
    settings=GithubSettings,
    requires=("github",),
    extra="github",
    render_permissions=_render_permissions,
)


@hookimpl
def soc2checks_register_providers() -> list[Provider]:
    return [PROVIDER]


@hookimpl
def soc2checks_register_resources() -> list[ModuleType]:
    return [
        importlib.import_module("soc2checks_github.resources"),
        importlib.import_module("soc2checks_github.changes"),
    ]


__all__ = ["PROVIDER", "GithubSettings"]
