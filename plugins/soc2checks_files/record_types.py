"""The first-party record types: what the ``files`` checks read from ``records/``.

Each is declared once, as data; the table in ``docs/providers/files.md`` documents
them. A company's own types come through the ``soc2checks_record_types`` hook.
"""

from __future__ import annotations

from soc2checks_files.records import Column, RecordType


def _c(name: str, type: str = "text", *aliases: str, required: bool = False) -> Column:
    return Column.model_validate(
        {"name": name, "type": type, "required": required, "aliases": aliases}
    )


def _r(name: str, *aliases: str, type: str = "text") -> Column:
    return _c(name, type, *aliases, required=True)


_EMAIL = ("work_email", "email_address", "person")

RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        name="personnel",
        title="personnel roster records",
        patterns=("personnel*", "roster*"),
        columns=(
            _r("email", *_EMAIL),
            _c("name", "text", "full_name"),
            _r("start_date", "hire_date", "started_on", type="date"),
            _c("end_date", "date", "termination_date", "leaving_date", "left_on"),
            _c("status", "text", "employment_status"),
            _c("role", "text", "title", "job_title"),
            _c("department"),
            _c("manager"),
        ),
        key="email",
        date_field="start_date",
        description="Everyone who works for the company, joiners and leavers (an HRIS export).",
    ),
    RecordType(
        name="training",
        patterns=("training*",),
        columns=(
            _r("email", *_EMAIL),
            _c("course"),
            _r("completed_on", "completed", "completion_date", type="date"),
        ),
        date_field="completed_on",
        description="Security-awareness training completions (an LMS export).",
    ),
    RecordType(
        name="background-checks",
        title="background-check records",
        patterns=("background-checks*",),
        columns=(
            _r("email", *_EMAIL),
            _r("completed_on", "completed", "date", type="date"),
            _c("result"),
            _c("provider"),
        ),
        date_field="completed_on",
        description="Background checks of hires (the screening provider's export).",
    ),
    RecordType(
        name="policy-acknowledgements",
        title="policy-acknowledgement records",
        patterns=("policy-acknowledgements*", "acknowledgements*"),
        columns=(
            _r("email", *_EMAIL),
            _r("policy", "policy_id"),
            _r("version"),
            _r("acknowledged_on", "date", type="date"),
        ),
        date_field="acknowledged_on",
        description="Who acknowledged which version of which policy, and when.",
    ),
    RecordType(
        name="access-removals",
        title="access-removal records",
        patterns=("access-removals*", "offboarding*"),
        columns=(
            _r("email", *_EMAIL),
            _c("system"),
            _r("removed_on", "date", type="date"),
            _c("ticket"),
        ),
        date_field="removed_on",
        description="Access removed from leavers (the offboarding tickets).",
    ),
    RecordType(
        name="board-meetings",
        title="board-meeting records",
        patterns=("board-meetings*",),
        columns=(
            _r("date", "meeting_date", type="date"),
            _r("body", "committee"),
            _c("topics", "names", "agenda"),
            _c("minutes", "text", "reference"),
        ),
        date_field="date",
        description="Board and audit-committee meetings, with the topics covered.",
    ),
    RecordType(
        name="control-matrix",
        title="control-matrix records",
        patterns=("control-matrix*",),
        columns=(_r("control", "control_id"), _c("owner")),
        key="control",
        description="Each control and its owner.",
    ),
    RecordType(
        name="deficiencies",
        title="deficiency-tracker records",
        patterns=("deficiencies*", "tracker*"),
        columns=(
            _r("id", "key", "issue"),
            _c("check", "text", "check_id"),
            _r("opened_on", "created", "opened", type="date"),
            _c("status"),
            _c("owner", "text", "assignee"),
            _c("ticket", "text", "url"),
            _c("sla_days", "int"),
        ),
        key="id",
        date_field="opened_on",
        description="The tracker export of control deficiencies (failed findings).",
    ),
    RecordType(
        name="assets",
        title="asset-register records",
        patterns=("assets*",),
        columns=(
            _r("asset_id", "id", "serial"),
            _c("type"),
            _c("status"),
            _c("disposed_on", "date"),
            _c("owner"),
        ),
        key="asset_id",
        description="The asset register: laptops, drives, servers, with disposals.",
    ),
    RecordType(
        name="disposal-certificates",
        title="disposal-certificate records",
        patterns=("disposal-certificates*", "wipe-certificates*"),
        columns=(
            _r("asset_id", "id", "serial"),
            _r("date", "disposed_on", type="date"),
            _c("method"),
            _r("certificate", "reference"),
        ),
        date_field="date",
        description="Disposal or wipe certificates, one per disposed asset.",
    ),
    RecordType(
        name="vendor-reports",
        title="vendor assurance-report records",
        patterns=("vendor-reports*", "subservice-reports*"),
        columns=(
            _r("vendor"),
            _r("report", "report_type"),
            _c("period_end", "date"),
            _r("reviewed_on", "reviewed", type="date"),
            _c("cuecs", "text", "complementary_user_entity_controls"),
        ),
        date_field="reviewed_on",
        description="SOC 2 or ISO 27001 reports of vendors, with their review.",
    ),
    RecordType(
        name="privacy-requests",
        title="privacy-request records",
        patterns=("privacy-requests*", "dsar*"),
        columns=(
            _r("id", "request_id"),
            _r("type", "request_type"),
            _r("received_on", "received", type="date"),
            _c("answered_on", "date", "answered", "closed_on"),
        ),
        key="id",
        date_field="received_on",
        description="Subject-access, correction, deletion requests and privacy complaints.",
    ),
    RecordType(
        name="consent-register",
        title="consent-register records",
        patterns=("consent*",),
        columns=(
            _r("purpose"),
            _r("requires_consent", type="bool"),
            _c("lawful_basis", "text", "basis"),
            _c("mechanism"),
        ),
        key="purpose",
        description="Each purpose of processing, whether it needs consent, its lawful basis.",
    ),
    RecordType(
        name="retention-schedule",
        title="retention-schedule records",
        patterns=("retention-schedule*",),
        columns=(
            _r("data_category", "category"),
            _r("retention_days", type="int"),
            _c("disposal_method", "text", "method"),
        ),
        key="data_category",
        description="How long each category of data is kept.",
    ),
    RecordType(
        name="disposal-log",
        title="disposal-log records",
        patterns=("disposal-log*",),
        columns=(
            _r("data_category", "category"),
            _r("due_on", "due", type="date"),
            _c("disposed_on", "date"),
            _c("method"),
            _c("reference"),
        ),
        date_field="due_on",
        description="Due disposals of data and when they were done.",
    ),
    RecordType(
        name="disclosures",
        title="disclosure-register records",
        patterns=("disclosures*",),
        columns=(
            _r("date", type="date"),
            _r("recipient"),
            _c("data_categories", "names", "data"),
            _c("basis", "text", "lawful_basis"),
            _c("authorised", "bool", "authorized"),
            _c("incident"),
        ),
        date_field="date",
        description="Disclosures of personal information to third parties.",
    ),
    RecordType(
        name="privacy-incidents",
        title="privacy-incident records",
        patterns=("privacy-incidents*",),
        columns=(
            _r("id", "incident_id"),
            _r("detected_at", "detected", type="datetime"),
            _c("reported_by", "text", "source"),
            _c("notification_decision", "text", "decision"),
            _c("decided_at", "datetime", "decided"),
        ),
        key="id",
        date_field="detected_at",
        description="Privacy incidents with their notification decisions.",
    ),
    RecordType(
        name="dpas",
        title="data-processing-agreement records",
        patterns=("dpas*", "data-processing-agreements*"),
        columns=(_r("vendor"), _r("signed_on", "signed", type="date"), _c("reference")),
        key="vendor",
        date_field="signed_on",
        description="Signed data-processing agreements with vendors.",
    ),
    RecordType(
        name="reconciliations",
        title="reconciliation records",
        patterns=("reconciliations*",),
        columns=(
            _r("date", type="date"),
            _r("job", "pipeline"),
            _r("stage"),
            _c("expected", "int"),
            _c("actual", "int"),
            _c("resolved", "bool"),
            _c("reviewer"),
        ),
        date_field="date",
        description="Reconciliations of inputs, processing, outputs and stored data.",
    ),
    RecordType(
        name="job-monitoring",
        title="job-monitoring records",
        patterns=("job-monitoring*",),
        columns=(
            _r("job", "pipeline"),
            _r("monitored", type="bool"),
            _c("alert_route", "text", "alerts"),
            _c("owner"),
        ),
        key="job",
        description="Each processing job and how its failures alert someone.",
    ),
    RecordType(
        name="job-failures",
        title="job-failure records",
        patterns=("job-failures*",),
        columns=(
            _r("job", "pipeline"),
            _r("failed_at", type="datetime"),
            _c("resolved_at", "datetime"),
            _c("ticket"),
        ),
        date_field="failed_at",
        description="Failed processing jobs and when each was resolved.",
    ),
)
