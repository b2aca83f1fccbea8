"""Log retention: logs are kept long enough to investigate and to audit.

A SOC 2 Type II period is usually twelve months; logs must outlive it.
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import LogGroup
from soc2checks_gcp.models import ProjectLogSinks

log_retention = control("log-retention", criteria=["CC7.2", "A1.2"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@log_retention.check(
    "aws.logs.retention",
    over="aws_log_groups",
    severity="low",
    remediation=(
        "Set the log group's retention to at least the required days (`aws logs "
        "put-retention-policy --retention-in-days 365`) or export logs to long-term storage."
    ),
)
def aws_logs_retention(group: LogGroup, min_days: int = 365) -> None:
    """CloudWatch log groups keep events for at least min_days, or never expire."""
    if group.retention_days is None:
        return
    assert group.retention_days >= min_days, (
        f"log group {group.name} ({group.region}) keeps events for {group.retention_days} "
        f"days (minimum {min_days})"
    )


# --- gcp ---


def _gcp_filter_matches_all(expr: str) -> bool:
    stripped = expr.strip()
    return stripped in ("", "*")


@log_retention.check(
    "gcp.logging.sink",
    over="gcp_log_sinks",
    severity="medium",
    remediation=(
        "Create an aggregated or project log sink with an empty filter that exports every log "
        "entry to Cloud Storage (with a retention policy), BigQuery or a log bucket."
    ),
)
def gcp_log_sink(sinks: ProjectLogSinks) -> None:
    """An enabled log sink exports all logs (empty filter) to a destination.

    The built-in ``_Required`` and ``_Default`` sinks do not count: they route to log
    buckets whose retention a project owner can shorten.
    """
    exporting = [
        s.name
        for s in sinks.sinks
        if not s.disabled
        and s.destination
        and s.name not in ("_Required", "_Default")
        and _gcp_filter_matches_all(s.filter)
    ]
    assert exporting, (
        f"project {sinks.project_id} has no enabled sink exporting all logs "
        f"(sinks: {', '.join(s.name for s in sinks.sinks) or 'none'})"
    )
