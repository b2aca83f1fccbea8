"""Audit logging: every administrative action is recorded, intact and protected.

Without a complete, tamper-evident audit trail, anomalies cannot be detected or
investigated (CC7.2).
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import CloudTrailSummary, Trail
from soc2checks_azure.models import ActivityLogExport, SqlServer
from soc2checks_gcp.models import EffectiveAuditConfig

audit_logging = control("audit-logging", criteria=["CC7.2", "CC4.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@audit_logging.check(
    "aws.cloudtrail.multi-region",
    over="aws_cloudtrail_summary",
    severity="high",
    remediation=(
        "Create a multi-region trail (or an organization trail) that logs all read and "
        "write management events, and start logging: `aws cloudtrail create-trail "
        "--is-multi-region-trail ...` then `aws cloudtrail start-logging`."
    ),
)
def aws_cloudtrail_multi_region(summary: CloudTrailSummary) -> None:
    """A multi-region CloudTrail trail is logging all management events.

    A trail without event selectors logs all read and write management events (the AWS
    default); otherwise every basic and advanced selector is read, and read-only plus
    write-only selectors together make all. Excluded event sources or other filters on
    management events keep only part of them and do not count.
    """
    good = [
        t
        for t in summary.trails
        if t.is_logging is True
        and t.management_events
        and t.read_write_type == "All"
        and not t.management_filters
    ]
    if good:
        return
    errors = [t.error for t in summary.trails if t.error]
    if errors:
        kind = PermissionError if errors[0].startswith("AccessDenied") else RuntimeError
        raise kind("; ".join(errors))
    if not summary.trails:
        raise AssertionError(f"account {summary.account_id} has no multi-region trail")
    unknown = [t.name for t in summary.trails if t.is_logging is None]
    if unknown:
        raise RuntimeError(
            f"cloudtrail:GetTrailStatus did not say whether {', '.join(unknown)} is logging "
            "(IsLogging missing): could not verify"
        )
    unread = [t.name for t in summary.trails if t.is_logging and t.management_events is None]
    if unread:
        raise RuntimeError(
            f"cloudtrail:GetEventSelectors gave no selectors for {', '.join(unread)} "
            "(neither EventSelectors nor AdvancedEventSelectors): could not verify"
        )
    problems = []
    for t in summary.trails:
        if not t.is_logging:
            problems.append(f"{t.name} is not logging")
        elif not t.management_events:
            problems.append(f"{t.name} does not log management events")
        elif t.read_write_type == "All" and t.management_filters:
            problems.append(
                f"{t.name} logs only part of the management events ("
                + "; ".join(t.management_filters)
                + ")"
            )
        else:
            problems.append(f"{t.name} logs only {t.read_write_type} management events")
    raise AssertionError(
        f"account {summary.account_id} has no multi-region trail logging all management "
        "events: " + "; ".join(problems)
    )


@audit_logging.check(
    "aws.cloudtrail.log-validation",
    over="aws_cloudtrail_trails",
    severity="medium",
    remediation=(
        "Turn on log file validation: `aws cloudtrail update-trail --name <trail> "
        "--enable-log-file-validation`."
    ),
)
def aws_cloudtrail_log_validation(trail: Trail) -> None:
    """CloudTrail trails have log file integrity validation on."""
    assert trail.log_file_validation, (
        f"trail {trail.name} ({trail.home_region}) has log file validation off"
    )


@audit_logging.check(
    "aws.cloudtrail.encrypted",
    over="aws_cloudtrail_trails",
    severity="medium",
    remediation=(
        "Encrypt the trail's log files with a customer-managed KMS key: `aws cloudtrail "
        "update-trail --name <trail> --kms-key-id <key>`."
    ),
)
def aws_cloudtrail_encrypted(trail: Trail) -> None:
    """CloudTrail trails encrypt their log files with a KMS key (SSE-KMS)."""
    assert trail.kms_key_id, (
        f"trail {trail.name} ({trail.home_region}) does not encrypt logs with a KMS key"
    )


# --- gcp ---

_GCP_LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")


@audit_logging.check(
    "gcp.logging.audit-logs",
    over="gcp_effective_audit_config",
    severity="medium",
    remediation=(
        "Enable Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for allServices in "
        "the organization's (or the project's) IAM policy, with no exempted members."
    ),
)
def gcp_audit_logs(config: EffectiveAuditConfig) -> None:
    """Data Access audit logs are on for allServices (all three types), with no exemptions.

    Judged on the effective configuration: the project's own audit configs merged with
    those its folders and organization set, as Google merges them.
    """
    enabled = config.enabled("allServices")
    missing = [t for t in _GCP_LOG_TYPES if t not in enabled]
    exempted = sorted({m for members in enabled.values() for m in members})
    problems = []
    if missing:
        problems.append(f"allServices audit logs lack {', '.join(missing)}")
    if exempted:
        problems.append(f"exempted members {', '.join(exempted)}")
    assert not problems, f"project {config.project_id}: {'; '.join(problems)}"


# --- azure ---

_AZURE_ACTIVITY_CATEGORIES = ("Administrative", "Security", "Policy")


@audit_logging.check(
    "azure.monitor.activity-log-export",
    over="azure_activity_log_export",
    severity="medium",
    remediation=(
        "Create a subscription diagnostic setting that sends the Administrative, Security and "
        "Policy categories of the activity log to a Log Analytics workspace or storage account."
    ),
)
def azure_activity_log_export(export: ActivityLogExport) -> None:
    """A subscription diagnostic setting exports the Administrative, Security and Policy logs."""
    covering = [
        name
        for name, cats in export.settings.items()
        if all(c in cats for c in _AZURE_ACTIVITY_CATEGORIES)
    ]
    assert covering, (
        f"subscription {export.subscription_id}: no diagnostic setting exports "
        f"{', '.join(_AZURE_ACTIVITY_CATEGORIES)} (settings: "
        f"{'; '.join(f'{k}: {sorted(v)}' for k, v in export.settings.items()) or 'none'})"
    )


@audit_logging.check(
    "azure.sql.auditing",
    over="azure_sql_servers",
    severity="medium",
    remediation="Enable server-level auditing on the SQL server.",
)
def azure_sql_auditing(server: SqlServer) -> None:
    """SQL servers have server auditing enabled."""
    if server.auditing_state is None:
        raise LookupError(f"Azure did not return the auditing state of {server.name}")
    assert server.auditing_state.lower() == "enabled", f"SQL server {server.name} has auditing off"
