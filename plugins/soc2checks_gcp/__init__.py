"""soc2checks GCP provider: fetches projects (a whole organization's, folders walked),
IAM policies, service accounts, buckets, KMS keys, firewalls, project metadata, Cloud
SQL instances and log sinks as typed models.

Install with ``pip install 'soc2checks[gcp]'``. Google libraries are imported lazily,
only when a fixture first builds a client; importing this module makes no API call.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from soc2checks import Provider, hookimpl
from soc2checks_gcp.permissions import render_role
from soc2checks_gcp.settings import GcpSettings

FIXTURE_MODULES = ("scopes", "iam", "storage", "compute", "sql", "logs", "kms")

PROVIDER = Provider(
    name="gcp",
    title="Google Cloud",
    settings=GcpSettings,
    requires=("google.auth", "google.cloud.resourcemanager_v3", "google.cloud.storage"),
    extra="gcp",
    render_permissions=render_role,
)

__all__ = ["FIXTURE_MODULES", "PROVIDER", "GcpSettings", "render_role"]


@hookimpl
def soc2checks_register_providers() -> list[Provider]:
    return [PROVIDER]


@hookimpl
def soc2checks_register_resources() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in FIXTURE_MODULES]
