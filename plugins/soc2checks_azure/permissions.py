"""``soc2checks permissions azure``: a custom role plus the Graph permissions to consent."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from soc2checks_azure.settings import AzureSettings


def assignable_scopes(settings: AzureSettings | None) -> list[str]:
    """Where the role may be assigned, from the ``[azure]`` table.

    A list of ``subscriptions`` gives those subscriptions (less ``exclude_subscriptions``);
    ``subscriptions = "all"`` with a ``tenant_id`` gives the tenant root management group
    (its ID is the tenant ID), which covers every subscription of the tenant. Without
    either, nothing real is known: the list is empty and the caller says what to set.
    """
    if settings is None:
        return []
    if isinstance(settings.subscriptions, list):
        skip = {s.lower() for s in settings.exclude_subscriptions}
        subs = sorted({s.lower() for s in settings.subscriptions} - skip)
        return [f"/subscriptions/{s}" for s in subs]
    if settings.tenant_id:
        return [f"/providers/Microsoft.Management/managementGroups/{settings.tenant_id}"]
    return []


def render_role(permissions: Sequence[str], config: Any = None) -> str:
    """A custom role (JSON for ``az role definition create --role-definition``), then the
    Microsoft Graph application permissions and licences the selected checks need.

    ``AssignableScopes`` comes from the ``[azure]`` table (:func:`assignable_scopes`);
    when the table names no subscriptions and no tenant, the key is left out and a note
    says what to set, rather than printing a placeholder scope.
    """
    settings = config.settings("azure") if config is not None else None
    if settings is None and config is not None and config.section("azure"):
        settings = AzureSettings.model_validate(config.section("azure"))
    scopes = assignable_scopes(settings if isinstance(settings, AzureSettings) else None)
    actions = sorted(
        {p for p in permissions if "/" in p and not p.startswith(("graph:", "licence:"))}
    )
    graph = sorted({p.removeprefix("graph:") for p in permissions if p.startswith("graph:")})
    licences = sorted({p.removeprefix("licence:") for p in permissions if p.startswith("licence:")})
    role = {
        "Name": "soc2checks auditor (read-only)",
        "IsCustom": True,
        "Description": (
            "Read-only access for the soc2checks checks selected when this was generated."
        ),
        "Actions": actions,
        "NotActions": [],
        "DataActions": [],
        "NotDataActions": [],
    }
    if scopes:
        role["AssignableScopes"] = scopes
    lines = [json.dumps(role, indent=2, sort_keys=True)]
    if not scopes:
        lines.append("")
        lines.append(
            "// AssignableScopes left out: set [azure] subscriptions = [...] or tenant_id "
            '(then the tenant root management group) and rerun, or add "AssignableScopes"'
        )
    if graph or licences:
        lines.append("")
        lines.append("// Microsoft Graph application permissions (admin consent):")
        lines += [f"//   {g}" for g in graph]
        if licences:
            lines.append("// Licences: " + ", ".join(licences))
    return "\n".join(lines) + "\n"
