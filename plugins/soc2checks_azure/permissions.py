"""``soc2checks permissions azure``: a custom role plus the Graph permissions to consent."""

from __future__ import annotations

import json
from collections.abc import Sequence


def render_role(permissions: Sequence[str]) -> str:
    """A custom role (JSON for ``az role definition create --role-definition``), then the
    Microsoft Graph application permissions and licences the selected checks need."""
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
        "AssignableScopes": ["/subscriptions/00000000-0000-0000-0000-000000000000"],
    }
    lines = [json.dumps(role, indent=2, sort_keys=True)]
    if graph or licences:
        lines.append("")
        lines.append("// Microsoft Graph application permissions (admin consent):")
        lines += [f"//   {g}" for g in graph]
        if licences:
            lines.append("// Licences: " + ", ".join(licences))
    return "\n".join(lines) + "\n"
