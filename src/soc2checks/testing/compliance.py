"""A realistic example folder for the ``files`` provider, written relative to a date.

:func:`write_demo_compliance` writes the policies, risk register, records and vendor
inventory of a small SaaS company, Acme Analytics, with every date computed from
``today``, so the intended verdicts hold whenever the demo runs (and the output is
byte-identical for a given ``today``)::

    from datetime import date
    from pathlib import Path

from soc2checks.testing._demo_records import ACKNOWLEDGED, RECORDS_EXPECTED, write_demo_records
    from soc2checks.testing.compliance import write_demo_compliance

    write_demo_compliance(Path("compliance"), date.today())

What the demo shows, by design (see :data:`DEMO_EXPECTED`):

- nine of the ten required policies in force; ``vendor-management`` was last reviewed
  500 days ago (stale); ``risk-assessment`` is missing; ``ai-usage`` is a draft
  (skipped);
- a CSV risk register reviewed 60 days ago whose risk ``R-004`` has no treatment;
- a disaster-recovery test 75 days ago; the last incident-response exercise 430 days
  ago (overdue);
- five vendors, of which ``Zendesk`` was last reviewed 410 days ago (overdue) and
  ``Heroku`` is offboarded (skipped).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from soc2checks.testing._demo_records import ACKNOWLEDGED, RECORDS_EXPECTED, write_demo_records

#: (check ID, resource ID) -> expected status, for tests and docs of the demo.
DEMO_EXPECTED: dict[tuple[str, str], str] = {
    ("files.policy.required-present", "policies/information-security.md"): "pass",
    ("files.policy.required-present", "policies/risk-assessment.md"): "fail",
    ("files.policy.reviewed", "policies/vendor-management.md"): "fail",
    ("files.policy.reviewed", "policies/access-control.md"): "pass",
    ("files.policy.reviewed", "policies/ai-usage.md"): "skip",
    ("files.policy.metadata", "policies/access-control.md"): "pass",
    ("files.risk-register.present-and-reviewed", "risk-register.csv"): "pass",
    ("files.risk-register.complete", "risk-register.csv#R-001"): "pass",
    ("files.risk-register.complete", "risk-register.csv#R-004"): "fail",
    ("files.records.dr-test", "records/dr-test.md"): "pass",
    ("files.records.ir-exercise", "records"): "fail",
    ("files.vendors.inventory-present", "vendors.csv"): "pass",
    ("files.vendors.reviewed", "vendors.csv#Amazon Web Services"): "pass",
    ("files.vendors.reviewed", "vendors.csv#Zendesk"): "fail",
    ("files.vendors.reviewed", "vendors.csv#Heroku"): "skip",
    **RECORDS_EXPECTED,
}

# name: (title, owner, approver, version, days since review, status, summary)
_POLICIES: dict[str, tuple[str, str, str, str, int, str, str]] = {
    "information-security": (
        "Information Security Policy",
        "Dana Whitfield (CTO)",
        "Sam Okafor (CEO)",
        "3.1",
        120,
        "approved",
        "Acme Analytics protects the confidentiality, integrity and availability of "
        "customer data. This policy sets the security programme, its roles and the "
        "policies beneath it.",
    ),
    "acceptable-use": (
        "Acceptable Use Policy",
        "Priya Raman (Head of People)",
        "Dana Whitfield (CTO)",
        "2.0",
        200,
        "approved",
        "Company laptops, accounts and data are for company business. Staff use managed "
        "devices with disk encryption and screen lock and never share credentials.",
    ),
    "access-control": (
        "Access Control Policy",
        "Dana Whitfield (CTO)",
        "Sam Okafor (CEO)",
        "2.4",
        45,
        "approved",
        "Access follows least privilege, is granted through the identity provider with "
        "MFA, is reviewed every quarter and is removed within one business day of a "
        "departure.",
    ),
    "change-management": (
        "Change Management Policy",
        "Luis Ortega (Engineering Manager)",
        "Dana Whitfield (CTO)",
        "1.6",
        300,
        "approved",
        "Every production change is made through a pull request, reviewed by another "
        "engineer, tested in CI and deployed by the pipeline.",
    ),
    "incident-response": (
        "Incident Response Policy",
        "Mei Tanaka (Security Lead)",
        "Dana Whitfield (CTO)",
        "2.2",
        90,
        "approved",
        "Security events are triaged within one hour; incidents have a commander, a "
        "timeline, customer notification where required and a post-mortem.",
    ),
    "data-retention-and-disposal": (
        "Data Retention and Disposal Policy",
        "Mei Tanaka (Security Lead)",
        "Sam Okafor (CEO)",
        "1.3",
        30,
        "approved",
        "Customer data is kept for the life of the contract plus 30 days, then deleted "
        "from production and, within 35 days, from backups.",
    ),
    "business-continuity": (
        "Business Continuity Policy",
        "Sam Okafor (CEO)",
        "Board of Directors",
        "1.2",
        250,
        "approved",
        "Critical business functions, their owners and their recovery objectives; how "
        "the company keeps serving customers through a disruption.",
    ),
    "disaster-recovery": (
        "Disaster Recovery Plan",
        "Luis Ortega (Engineering Manager)",
        "Dana Whitfield (CTO)",
        "2.1",
        160,
        "approved",
        "Production is restored in a second region from encrypted backups with an RPO "
        "of 1 hour and an RTO of 4 hours; the plan is tested every year.",
    ),
    "vendor-management": (
        "Vendor Management Policy",
        "Priya Raman (Head of People)",
        "Dana Whitfield (CTO)",
        "1.0",
        500,
        "approved",
        "Vendors that handle customer data are assessed before onboarding and reviewed "
        "every year, by criticality.",
    ),
    "ai-usage": (
        "AI Usage Policy",
        "Mei Tanaka (Security Lead)",
        "",
        "0.3",
        10,
        "draft",
        "Which AI assistants staff may use, with which data. Draft: under review.",
    ),
}

_RISKS = [
    ("R-001", "Compromised engineer laptop", "Mei Tanaka", "3", "4", "mitigate"),
    ("R-002", "Loss of the primary cloud region", "Luis Ortega", "2", "5", "mitigate"),
    ("R-003", "Key vendor (payments) outage", "Sam Okafor", "2", "3", "transfer"),
    ("R-004", "Insider exfiltration of customer data", "Dana Whitfield", "1", "5", ""),
    ("R-005", "Phishing of finance staff", "Priya Raman", "4", "3", "mitigate"),
    ("R-006", "Regulatory change in data residency", "Sam Okafor", "2", "2", "accept"),
]

# name, owner, criticality, days since review, status, processes personal data
_VENDORS = [
    ("Amazon Web Services", "Luis Ortega", "high", 40, "active", "yes"),
    ("GitHub", "Luis Ortega", "high", 95, "active", "no"),
    ("Okta", "Dana Whitfield", "high", 150, "active", "yes"),
    ("Zendesk", "Priya Raman", "medium", 410, "active", "yes"),
    ("Heroku", "Luis Ortega", "low", 700, "offboarded", "yes"),
]


def _day(today: dt.date, days_ago: int) -> str:
    return (today - dt.timedelta(days=days_ago)).isoformat()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_demo_compliance(dest: Path, today: dt.date) -> Path:
    """Write the demo compliance folder into ``dest`` (created if needed); return it.

    Deterministic: the same ``today`` writes the same bytes. Existing files of the
    same names are overwritten; other files in ``dest`` are left alone.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    _write(
        dest / "README.md",
        "# Acme Analytics compliance folder\n\n"
        "Policies, the risk register, records and the vendor inventory that the\n"
        "soc2checks `files` provider reads. See docs/providers/files.md.\n",
    )
    for name, (title, owner, approver, version, age, status, summary) in _POLICIES.items():
        approved = f"approved_by: {approver}\n" if approver else ""
        if name in ACKNOWLEDGED:
            approved += "acknowledge: true\n"
        _write(
            dest / "policies" / f"{name}.md",
            f"---\nid: {name}\ntitle: {title}\nowner: {owner}\n{approved}"
            f'version: "{version}"\nstatus: {status}\nlast_reviewed: {_day(today, age)}\n---\n\n'
            f"# {title}\n\n## Purpose\n\n{summary}\n\n## Scope\n\n"
            "All employees, contractors and systems of Acme Analytics, Inc.\n\n"
            "## Review\n\nThe owner reviews this document at least once a year.\n",
        )
    rows = [f"# last_reviewed: {_day(today, 60)}", "# owner: Dana Whitfield (CTO)"]
    rows.append("id,title,owner,likelihood,impact,treatment,status")
    rows.extend(",".join((*risk, "open")) for risk in _RISKS)
    _write(dest / "risk-register.csv", "\n".join(rows) + "\n")
    _write(
        dest / "records" / "dr-test.md",
        f"---\ntype: disaster-recovery-test\ndate: {_day(today, 75)}\n"
        "participants: [Luis Ortega, Mei Tanaka, Jonas Berg]\n"
        "outcome: passed; database restored in the standby region in 2h40 (RTO 4h)\n---\n\n"
        "# Disaster-recovery test\n\nRestored the production database from the latest\n"
        "snapshot into the standby region and failed the API over. Follow-up: automate\n"
        "the DNS switch (ENG-1423).\n",
    )
    _write(
        dest / "records" / "ir-tabletop.md",
        f"---\ntype: incident-response-exercise\ndate: {_day(today, 430)}\n"
        "participants: [Mei Tanaka, Dana Whitfield, Priya Raman]\n"
        "outcome: completed; on-call escalation path updated\n---\n\n"
        "# Incident-response tabletop: leaked API key\n\nWalked through a leaked customer\n"
        "API key found on a public paste site, from detection to customer notice.\n",
    )
    vendor_rows = ["name,owner,criticality,last_reviewed,status,personal_data"]
    vendor_rows.extend(
        f"{name},{owner},{crit},{_day(today, age)},{status},{personal}"
        for name, owner, crit, age, status, personal in _VENDORS
    )
    _write(dest / "vendors.csv", "\n".join(vendor_rows) + "\n")
    write_demo_records(dest, today, _write)
    return dest
