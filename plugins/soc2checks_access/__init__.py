"""The ``access`` provider: one provider-neutral ``principals`` kind, and review files.

It fetches nothing itself: its fixtures join the principals other provider plugins
already fetched (AWS IAM users and roles, GitHub members, owners and outside
collaborators, GCP IAM members, Entra users and Azure Owner assignments) and read
the access review files in ``compliance/access-reviews``. The checks are in the
first-party control pack (``access_reviews``); the CLI is ``soc2checks access-review``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from soc2checks import Provider, hookimpl
from soc2checks_access.models import AccessSettings

__all__ = ["soc2checks_register_providers", "soc2checks_register_resources"]


@hookimpl
def soc2checks_register_providers() -> list[Provider]:
    return [
        Provider(
            name="access",
            title="Access reviews over the principals of the other providers",
            settings=AccessSettings,
            evidence="records",
        )
    ]


@hookimpl
def soc2checks_register_resources() -> list[ModuleType]:
    return [importlib.import_module("soc2checks_access.fixtures")]
