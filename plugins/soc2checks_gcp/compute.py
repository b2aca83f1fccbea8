"""Compute Engine fixtures: firewall rules and project-wide metadata (REST client).

Requests per project: one ``firewalls.list`` per page, one ``projects.get``. A project
with the Compute Engine API disabled has no networks or VMs: the checks skip it.
"""

from __future__ import annotations

from typing import Any

from soc2checks import resource, skip
from soc2checks_gcp.clients import GcpClients
from soc2checks_gcp.errors import GcpServiceDisabled
from soc2checks_gcp.models import Firewall, FirewallAllow, GcpProject, ProjectMetadata

FIREWALLS_LIST = "compute.firewalls.list"
PROJECTS_GET = "compute.projects.get"


def parse_firewall(project_id: str, fw: Any) -> Firewall:
    return Firewall(
        project_id=project_id,
        name=fw.name,
        direction=fw.direction or "INGRESS",
        disabled=bool(fw.disabled),
        source_ranges=tuple(fw.source_ranges),
        allowed=tuple(
            FirewallAllow(protocol=a.I_p_protocol.lower(), ports=tuple(a.ports)) for a in fw.allowed
        ),
    )


@resource(
    "gcp_firewalls",
    scope="project",
    permissions=[FIREWALLS_LIST],
    resource_type="GCP::Compute::Firewall",
)
def gcp_firewalls(gcp_project: GcpProject, gcp_clients: GcpClients) -> list[Firewall]:
    """The project's VPC firewall rules."""
    client = gcp_clients.compute("Firewalls")
    pid = gcp_project.project_id
    try:
        rules = gcp_clients.call(
            lambda: list(client.list(project=pid, retry=None)), FIREWALLS_LIST, f"projects/{pid}"
        )
    except GcpServiceDisabled as exc:
        skip(f"no VPC networks: {exc}")
    return sorted((parse_firewall(pid, fw) for fw in rules), key=lambda f: f.name)


@resource(
    "gcp_project_metadata",
    scope="project",
    permissions=[PROJECTS_GET],
    resource_type="GCP::Compute::Project",
)
def gcp_project_metadata(gcp_project: GcpProject, gcp_clients: GcpClients) -> ProjectMetadata:
    """Compute Engine project-wide metadata (``enable-oslogin`` and friends)."""
    client = gcp_clients.compute("Projects")
    pid = gcp_project.project_id
    try:
        project = gcp_clients.call(
            lambda: client.get(project=pid, retry=None), PROJECTS_GET, f"projects/{pid}"
        )
    except GcpServiceDisabled as exc:
        skip(f"no Compute Engine instances: {exc}")
    items = {i.key: i.value for i in project.common_instance_metadata.items}
    return ProjectMetadata(project_id=pid, items=dict(sorted(items.items())))
