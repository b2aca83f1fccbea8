"""Cloud Logging fixtures: the project's log sinks (Logging v2, discovery client: the
google-cloud-logging config client is gRPC only). One ``sinks.list`` per page.
"""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_gcp.clients import GcpClients
from soc2checks_gcp.models import GcpProject, LogSink, ProjectLogSinks

SINKS_LIST = "logging.sinks.list"


@resource(
    "gcp_log_sinks",
    scope="project",
    permissions=[SINKS_LIST],
    resource_type="GCP::Logging::Sinks",
)
def gcp_log_sinks(gcp_project: GcpProject, gcp_clients: GcpClients) -> ProjectLogSinks:
    """Every log sink of the project (disabled ones included, flagged)."""
    logging = gcp_clients.discovery("logging", "v2")
    where = f"projects/{gcp_project.project_id}"
    sinks: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = gcp_clients.execute(
            logging.projects().sinks().list(parent=where, pageToken=token), SINKS_LIST, where
        )
        sinks.extend(page.get("sinks") or [])
        token = page.get("nextPageToken")
        if not token:
            break
    return ProjectLogSinks(
        project_id=gcp_project.project_id,
        sinks=tuple(
            LogSink(
                name=s["name"],
                destination=s.get("destination", ""),
                filter=s.get("filter", ""),
                disabled=bool(s.get("disabled", False)),
            )
            for s in sorted(sinks, key=lambda s: s["name"])
        ),
    )
