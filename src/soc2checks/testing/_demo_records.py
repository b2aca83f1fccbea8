"""The demo company's tabular records and procedure documents, written relative to a date.

Part of :func:`soc2checks.testing.compliance.write_demo_compliance`: the personnel
roster, training, background checks, policy acknowledgements, offboarding, board
minutes, the control matrix, the deficiency tracker, assets, vendor reports, privacy
registers and processing-integrity records of Acme Analytics, and the procedure
documents (system description, privacy notice, ...). What each shows, by design, is
in :data:`RECORDS_EXPECTED`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

#: (check ID, resource ID) -> expected status of the demo's records and documents.
RECORDS_EXPECTED: dict[tuple[str, str], str] = {
    ("files.people.security-training", "records/personnel.csv#ada@acme.test"): "pass",
    ("files.people.security-training", "records/personnel.csv#jonas@acme.test"): "fail",
    ("files.people.security-training", "records/personnel.csv#nina@acme.test"): "skip",
    ("files.people.background-check", "records/personnel.csv#omar@acme.test"): "pass",
    ("files.people.policy-acknowledgement", "records/personnel.csv#ada@acme.test"): "pass",
    ("files.people.policy-acknowledgement", "records/personnel.csv#jonas@acme.test"): "fail",
    ("files.people.offboarding", "records/personnel.csv#carl@acme.test"): "pass",
    ("files.people.offboarding", "records/personnel.csv#tess@acme.test"): "fail",
    ("files.governance.board-oversight", "records/board-meetings.csv#line-4"): "pass",
    ("files.governance.org-chart", "compliance"): "pass",
    ("files.governance.control-owners", "security-training"): "pass",
    ("files.governance.control-owners", "vendor-dpa"): "fail",
    ("files.governance.system-description", "compliance"): "pass",
    ("files.governance.external-commitments", "compliance"): "pass",
    ("files.governance.deficiency-tracking", "records/deficiencies.csv#DEF-7"): "pass",
    ("files.governance.deficiency-tracking", "records/deficiencies.csv#DEF-9"): "fail",
    ("files.assets.disposal", "records/assets.csv#LT-0142"): "pass",
    ("files.vendors.subservice-reports", "vendors.csv#Amazon Web Services"): "pass",
    ("files.privacy.dsar", "records/privacy-requests.yaml#DSR-2"): "pass",
    ("files.privacy.dsar", "records/privacy-requests.yaml#DSR-3"): "fail",
    ("files.privacy.consent", "records/consent-register.csv#Product newsletter"): "pass",
    ("files.privacy.retention", "records/retention-schedule*"): "pass",
    ("files.privacy.disclosures", "records/disclosures.csv#line-2"): "pass",
    ("files.privacy.breach-notification", "records/privacy-incidents.json#PRIV-1"): "pass",
    ("files.privacy.vendor-dpa", "vendors.csv#Zendesk"): "pass",
    ("files.pi.reconciliation", "records/reconciliations*#input"): "pass",
    ("files.pi.job-failure-monitoring", "records/job-monitoring.csv#nightly-billing"): "pass",
    ("files.policy.privacy-notice", "compliance"): "pass",
    ("files.policy.capacity-management", "compliance"): "pass",
}

#: Every first-party control and its owner in the demo's control matrix; vendor-dpa is
#: left without one, on purpose.
_OWNERS = {
    "Dana Whitfield": (
        "documented-policies control-owners org-chart system-description board-oversight "
        "risk-assessment deficiency-tracking external-commitments change-management "
        "branch-protection configuration-monitoring"
    ),
    "Mei Tanaka": (
        "mfa-enforced privileged-access password-policy credential-rotation stale-access "
        "least-privilege public-exposure network-ingress encryption-at-rest "
        "encryption-in-transit key-management audit-logging threat-detection log-retention "
        "vulnerability-management incident-response data-classification data-expiration"
    ),
    "Luis Ortega": (
        "backup-and-recovery recovery-testing capacity-management processing-integrity "
        "processing-specifications asset-disposal"
    ),
    "Priya Raman": (
        "security-training background-checks policy-acknowledgement offboarding "
        "vendor-management subservice-reports vendor-access privacy-notice privacy-requests "
        "consent retention disclosures breach-notification"
    ),
}

# email, name, days since start, days since leaving (None: active), role
_PEOPLE = [
    ("sam@acme.test", "Sam Okafor", 2100, None, "CEO"),
    ("dana@acme.test", "Dana Whitfield", 1900, None, "CTO"),
    ("ada@acme.test", "Ada Lovelace", 800, None, "Engineer"),
    ("luis@acme.test", "Luis Ortega", 1500, None, "Engineering Manager"),
    ("mei@acme.test", "Mei Tanaka", 1200, None, "Security Lead"),
    ("priya@acme.test", "Priya Raman", 1000, None, "Head of People"),
    ("jonas@acme.test", "Jonas Berg", 900, None, "Engineer"),
    ("omar@acme.test", "Omar Haddad", 120, None, "Data Engineer"),
    ("nina@acme.test", "Nina Petrova", 12, None, "Support Engineer"),
    ("carl@acme.test", "Carl Weiss", 700, 40, "Sales"),
    ("tess@acme.test", "Tess Lin", 650, 20, "Engineer"),
]

ACKNOWLEDGED = ("information-security", "acceptable-use")


def _doc(
    title: str,
    owner: str,
    approver: str,
    version: str,
    age: int,
    sections: dict[str, str],
    extra: str = "",
) -> Callable[[dt.date], str]:
    def render(today: dt.date) -> str:
        body = "".join(f"## {head}\n\n{text}\n\n" for head, text in sections.items())
        return (
            f'---\ntitle: "{title}"\nowner: {owner}\napproved_by: {approver}\n'
            f'version: "{version}"\nstatus: approved\nlast_reviewed: {_day(today, age)}\n'
            f"{extra}---\n\n# {title}\n\n{body}"
        ).rstrip() + "\n"

    return render


#: Procedure documents: name -> renderer.
DOCUMENTS: dict[str, Callable[[dt.date], str]] = {
    "roles-and-responsibilities": _doc(
        "Roles and Responsibilities",
        "Sam Okafor (CEO)",
        "Board of Directors",
        "2.0",
        100,
        {
            "Organization chart": "The CEO reports to the board; the CTO, Head of People and "
            "Head of Sales report to the CEO; the Security Lead reports to the CTO.",
            "Security": "The CTO owns the security programme; the Security Lead runs it.",
        },
        "security_owner: Dana Whitfield (CTO)\n",
    ),
    "system-description": _doc(
        "System Description: Acme Analytics Platform",
        "Dana Whitfield (CTO)",
        "Sam Okafor (CEO)",
        "1.4",
        80,
        {
            "Components": "A web application and API on AWS (ECS, RDS PostgreSQL, S3), "
            "nightly batch jobs, and GitHub for source code.",
            "Data flows": "Customers upload event exports through the API; nightly jobs "
            "aggregate them into reports customers download.",
            "Boundaries": "In scope: the production AWS account and the GitHub organization. "
            "Out of scope: corporate laptops' local data, the marketing website.",
        },
    ),
    "privacy-notice": _doc(
        "Privacy Notice",
        "Priya Raman (Head of People)",
        "Sam Okafor (CEO)",
        "3.0",
        60,
        {
            "Purposes": "We collect account and usage data to provide the service and bill it.",
            "Use": "We use it only for those purposes; we never sell it.",
            "Data quality": "Customers correct their data in the account settings or by "
            "writing to privacy@acme.test.",
        },
        "url: https://acme.test/privacy\ncontact: security@acme.test\n",
    ),
    "data-classification": _doc(
        "Data Classification Standard",
        "Mei Tanaka (Security Lead)",
        "Dana Whitfield (CTO)",
        "1.1",
        140,
        {
            "Levels": "Public, internal, confidential (customer data, credentials) and "
            "personal data.",
            "Confidential data": "Encrypted at rest and in transit; tagged "
            "classification=confidential on AWS.",
        },
    ),
    "processing-specifications": _doc(
        "Data and Processing Specifications",
        "Luis Ortega (Engineering Manager)",
        "Dana Whitfield (CTO)",
        "1.2",
        110,
        {
            "Inputs": "Event exports: CSV or JSON, schema v3, validated on upload.",
            "Processing": "The nightly-billing and report-aggregation jobs, idempotent.",
            "Outputs": "Monthly reports and invoices, delivered to the customer's admins.",
        },
    ),
    "reconciliation-procedure": _doc(
        "Input and Output Reconciliation Procedure",
        "Luis Ortega (Engineering Manager)",
        "Dana Whitfield (CTO)",
        "1.0",
        110,
        {
            "Procedure": "Each job reconciles record counts in and out; a data engineer "
            "reviews mismatches weekly.",
        },
    ),
    "capacity-management": _doc(
        "Capacity Management Procedure",
        "Luis Ortega (Engineering Manager)",
        "Dana Whitfield (CTO)",
        "1.1",
        200,
        {
            "Monitoring": "CPU, memory, database connections and queue depth alarm at 80%.",
            "Planning": "Capacity is forecast every quarter against customer growth.",
        },
    ),
}


def _day(today: dt.date, days_ago: int) -> str:
    return (today - dt.timedelta(days=days_ago)).isoformat()


def _moment(today: dt.date, days_ago: int, hour: int) -> str:
    return f"{_day(today, days_ago)}T{hour:02d}:00:00Z"


def _csv(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def records(today: dt.date) -> dict[str, str]:
    """The demo's record files, by path under ``records/``."""
    d = _day
    out: dict[str, str] = {}
    roster = ["email,name,start_date,end_date,status,role"]
    for email, name, start, left, role in _PEOPLE:
        end = d(today, left) if left is not None else ""
        status = "terminated" if left is not None else "active"
        roster.append(f"{email},{name},{d(today, start)},{end},{status},{role}")
    out["personnel.csv"] = _csv(*roster)
    training = ["email,course,completed_on"]
    for email, _, start, left, _ in _PEOPLE:
        if email == "nina@acme.test" or left is not None:
            continue
        age = 400 if email == "jonas@acme.test" else (start - 10 if start < 365 else 70)
        training.append(f"{email},Security awareness 2026,{d(today, age)}")
    out["training.csv"] = _csv(*training)
    checks = ["email,completed_on,result,provider"]
    for email, _, start, _, _ in _PEOPLE:
        checks.append(f"{email},{d(today, start + 5)},clear,Checkr")
    out["background-checks.csv"] = _csv(*checks)
    acks = ["email,policy,version,acknowledged_on"]
    for email, _, start, left, _ in _PEOPLE:
        if left is not None or start < 30:
            continue
        for policy, version in (("information-security", "3.1"), ("acceptable-use", "2.0")):
            if email == "jonas@acme.test" and policy == "acceptable-use":
                version = "1.9"  # acknowledged the previous version only
            acks.append(f"{email},{policy},{version},{d(today, min(start, 150))}")
    out["policy-acknowledgements.csv"] = _csv(*acks)
    out["access-removals.csv"] = _csv(
        "email,system,removed_on,ticket",
        f"carl@acme.test,Okta (all apps),{d(today, 40)},IT-311",
        f"tess@acme.test,Okta (all apps),{d(today, 17)},IT-322",
    )
    out["board-meetings.csv"] = _csv(
        "date,body,topics,minutes",
        f'{d(today, 400)},board,"strategy, security",minutes/board-q1.pdf',
        f'{d(today, 180)},board,"budget, hiring",minutes/board-q3.pdf',
        f'{d(today, 90)},audit-committee,"security, SOC 2 readiness",minutes/ac-q4.pdf',
    )
    matrix = [f"{c},{owner}" for owner, controls in _OWNERS.items() for c in controls.split()]
    matrix.append("vendor-dpa,")
    out["control-matrix.csv"] = _csv("control,owner", *sorted(matrix))
    out["deficiencies.csv"] = _csv(
        "id,check,opened_on,status,owner,ticket,sla_days",
        f"DEF-3,aws.iam.console-user-mfa,{d(today, 120)},closed,Mei Tanaka,SEC-88,30",
        f"DEF-7,github.repo.branch-protection,{d(today, 45)},open,Luis Ortega,ENG-1510,30",
        f"DEF-8,aws.s3.bucket-encryption,{d(today, 10)},open,,,30",
        f"DEF-9,files.vendors.reviewed,{d(today, 60)},open,,,30",
    )
    out["assets.csv"] = _csv(
        "asset_id,type,status,disposed_on,owner",
        "LT-0101,laptop,in use,,ada@acme.test",
        f"LT-0142,laptop,disposed,{d(today, 70)},it@acme.test",
        f"HD-0007,backup drive,destroyed,{d(today, 200)},it@acme.test",
    )
    out["disposal-certificates.csv"] = _csv(
        "asset_id,date,method,certificate",
        f"LT-0142,{d(today, 65)},NIST 800-88 purge,CERT-2211",
        f"HD-0007,{d(today, 195)},shredding,CERT-1980",
    )
    out["vendor-reports.csv"] = _csv(
        "vendor,report,period_end,reviewed_on,cuecs",
        f"Amazon Web Services,SOC 2 Type II,{d(today, 120)},{d(today, 50)},"
        '"IAM, encryption keys and backups are ours"',
        f'GitHub,SOC 2 Type II,{d(today, 150)},{d(today, 90)},"SSO, branch protection"',
        f'Okta,SOC 2 Type II,{d(today, 100)},{d(today, 60)},"MFA policy, user lifecycle"',
    )
    out["privacy-requests.yaml"] = (
        "# Exported from the privacy inbox\nrecords:\n"
        f"  - id: DSR-1\n    type: access\n    received_on: {d(today, 200)}\n"
        f"    answered_on: {d(today, 190)}\n"
        f"  - id: DSR-2\n    type: correction\n    received_on: {d(today, 90)}\n"
        f"    answered_on: {d(today, 88)}\n"
        f"  - id: DSR-3\n    type: complaint\n    received_on: {d(today, 80)}\n"
        f"    answered_on: {d(today, 39)}\n"
        f"  - id: DSR-4\n    type: deletion\n    received_on: {d(today, 5)}\n"
    )
    out["consent-register.csv"] = _csv(
        "purpose,requires_consent,lawful_basis,mechanism",
        "Service delivery,no,contract,",
        "Product newsletter,yes,consent,opt-in checkbox at sign-up",
        "Usage analytics,yes,consent,cookie banner",
    )
    out["retention-schedule.csv"] = _csv(
        "data_category,retention_days,disposal_method",
        "customer data,395,deletion from production and backups",
        "access logs,365,S3 lifecycle expiration",
        "employee records,2555,secure deletion",
    )
    out["disposal-log.csv"] = _csv(
        "data_category,due_on,disposed_on,method,reference",
        f"customer data,{d(today, 100)},{d(today, 99)},deletion,OPS-870",
        f"access logs,{d(today, 30)},{d(today, 30)},lifecycle rule,aws:s3",
        f"customer data,{_day(today, -20)},,deletion,",
    )
    out["disclosures.csv"] = _csv(
        "date,recipient,data_categories,basis,authorised,incident",
        f"{d(today, 150)},Stripe,billing contact,contract (payment processing),yes,",
        f"{d(today, 60)},Tax authority,invoices,legal obligation,yes,",
    )
    out["privacy-incidents.json"] = (
        "{\n"
        '  "records": [\n'
        "    {\n"
        '      "id": "PRIV-1",\n'
        f'      "detected_at": "{_moment(today, 140, 9)}",\n'
        '      "reported_by": "Zendesk",\n'
        '      "notification_decision": "notify affected customers; regulator not required",\n'
        f'      "decided_at": "{_moment(today, 139, 5)}"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )
    out["dpas.csv"] = _csv(
        "vendor,signed_on,reference",
        f"Amazon Web Services,{d(today, 900)},AWS GDPR DPA",
        f"Okta,{d(today, 700)},DPA-OKTA-2024",
        f"Zendesk,{d(today, 500)},DPA-ZD-2025",
    )
    recon = ["date,job,stage,expected,actual,resolved,reviewer"]
    for stage, job, age in (
        ("input", "event-upload", 3),
        ("processing", "nightly-billing", 2),
        ("output", "report-aggregation", 6),
        ("storage", "backup-verification", 12),
    ):
        recon.append(f"{d(today, age)},{job},{stage},120431,120431,,Omar Haddad")
    recon.append(f"{d(today, 20)},nightly-billing,processing,9870,9868,yes,Omar Haddad")
    out["reconciliations.csv"] = _csv(*recon)
    out["job-monitoring.csv"] = _csv(
        "job,monitored,alert_route,owner",
        "event-upload,yes,PagerDuty data-eng,Omar Haddad",
        "nightly-billing,yes,PagerDuty data-eng,Omar Haddad",
        "report-aggregation,yes,#data-alerts Slack,Luis Ortega",
    )
    out["job-failures.csv"] = _csv(
        "job,failed_at,resolved_at,ticket",
        f"nightly-billing,{_moment(today, 33, 2)},{_moment(today, 33, 9)},DATA-412",
    )
    return out


def write_demo_records(dest: Path, today: dt.date, write: Callable[[Path, str], None]) -> None:
    """Write the procedure documents under ``policies/`` and the records under ``records/``."""
    for name, render in DOCUMENTS.items():
        write(dest / "policies" / f"{name}.md", render(today))
    for name, text in records(today).items():
        write(dest / "records" / name, text)
