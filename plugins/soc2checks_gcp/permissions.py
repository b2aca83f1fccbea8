"""``soc2checks permissions gcp``: a custom role for the selected checks."""

from __future__ import annotations

from collections.abc import Sequence

ROLE_ID = "soc2checksAuditor"


def render_role(permissions: Sequence[str]) -> str:
    """A custom role definition (YAML for ``gcloud iam roles create --file``).

    Grant it at the organization (``gcloud iam roles create soc2checksAuditor
    --organization=ORG_ID --file=role.yaml``) so that folder and project listing work.
    """
    perms = sorted(set(permissions))
    lines = [
        "# gcloud iam roles create soc2checksAuditor --organization=ORG_ID --file=role.yaml",
        "title: soc2checks auditor (read-only)",
        "description: Read-only access for the soc2checks checks selected when this was generated.",
        "stage: GA",
        "includedPermissions:",
        *(f"- {p}" for p in perms),
    ]
    return "\n".join(lines) + "\n"
