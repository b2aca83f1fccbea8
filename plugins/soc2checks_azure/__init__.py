"""soc2checks Azure provider: subscriptions through Azure Resource Manager and the
tenant's Entra ID through Microsoft Graph, as typed models.

Install with ``pip install 'soc2checks[azure]'``. The Azure SDKs are imported lazily,
when a fixture first builds a client; importing this module makes no call.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from soc2checks import Provider, hookimpl
from soc2checks_azure.permissions import render_role
from soc2checks_azure.settings import AzureSettings

FIXTURE_MODULES = ("scopes", "entra", "resources_arm")

PROVIDER = Provider(
    name="azure",
    title="Microsoft Azure and Entra ID",
    settings=AzureSettings,
    requires=("azure.core", "azure.mgmt.subscription"),
    extra="azure",
    render_permissions=render_role,
)

__all__ = ["FIXTURE_MODULES", "PROVIDER", "AzureSettings", "render_role"]


@hookimpl
def soc2checks_register_providers() -> list[Provider]:
    return [PROVIDER]


@hookimpl
def soc2checks_register_resources() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in FIXTURE_MODULES]
