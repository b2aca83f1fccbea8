"""Cloud SQL fixtures (Cloud SQL Admin v1beta4, discovery client: the google-cloud
client is gRPC only). One ``instances.list`` per page per project; a project with the
Cloud SQL Admin API disabled has no instances: the checks skip it.
"""

from __future__ import annotations

from typing import Any

from soc2checks import resource, skip
from soc2checks_gcp.clients import GcpClients
from soc2checks_gcp.errors import GcpServiceDisabled
from soc2checks_gcp.models import GcpProject, SqlInstance

INSTANCES_LIST = "cloudsql.instances.list"


def parse_instance(project_id: str, inst: dict[str, Any]) -> SqlInstance:
    settings = inst.get("settings") or {}
    ip = settings.get("ipConfiguration")
    backups = settings.get("backupConfiguration")
    return SqlInstance(
        project_id=project_id,
        name=inst["name"],
        instance_type=inst.get("instanceType", "CLOUD_SQL_INSTANCE"),
        ipv4_enabled=ip.get("ipv4Enabled") if ip is not None else None,
        authorized_networks=tuple(
            n.get("value", "") for n in (ip or {}).get("authorizedNetworks") or []
        ),
        ssl_mode=(ip or {}).get("sslMode"),
        require_ssl=(ip or {}).get("requireSsl"),
        backups_enabled=backups.get("enabled") if backups is not None else None,
    )


@resource(
    "gcp_sql_instances",
    scope="project",
    permissions=[INSTANCES_LIST],
    resource_type="GCP::SQL::Instance",
)
def gcp_sql_instances(gcp_project: GcpProject, gcp_clients: GcpClients) -> list[SqlInstance]:
    """The project's Cloud SQL instances with IP, TLS and backup settings."""
    sql = gcp_clients.discovery("sqladmin", "v1beta4")
    pid = gcp_project.project_id
    items: list[dict[str, Any]] = []
    token: str | None = None
    try:
        while True:
            page = gcp_clients.execute(
                sql.instances().list(project=pid, pageToken=token),
                INSTANCES_LIST,
                f"projects/{pid}",
            )
            items.extend(page.get("items") or [])
            token = page.get("nextPageToken")
            if not token:
                break
    except GcpServiceDisabled as exc:
        skip(f"no Cloud SQL instances: {exc}")
    return sorted((parse_instance(pid, i) for i in items), key=lambda i: i.name)
