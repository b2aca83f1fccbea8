"""Risk assessment: a current risk register with an owner and a treatment for every risk.

The risk register is the evidence of identifying, analysing and responding to risks
(CC3.1 to CC3.4).
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control, skip
from soc2checks_files.models import (
    FUTURE_SLACK_DAYS,
    Risk,
    RiskRegister,
    age_in_days,
    is_blank,
    normalize_id,
)

risk_assessment = control("risk-assessment", criteria=["CC3.1", "CC3.2", "CC3.3", "CC3.4"])

# Checks for every provider sit side by side below, grouped by provider.

# --- files ---


RISK_FIELDS = ("owner", "likelihood", "impact", "treatment")
RISK_TREATMENTS = ("mitigate", "reduce", "accept", "transfer", "share", "avoid")


@risk_assessment.check(
    "files.risk-register.present-and-reviewed",
    over="files_risk_register",
    severity="high",
    evidence=["path", "found", "format", "risk_count", "last_reviewed", "owner"],
    remediation=(
        "Keep the risk register as risk-register.csv (with a '# last_reviewed: YYYY-MM-DD' "
        "line above the header) or risk-register.yaml (with a top-level last_reviewed), "
        "review it at least yearly and update the date."
    ),
)
def files_risk_register_reviewed(
    register: RiskRegister, today: dt.date, max_age_days: int = 365
) -> None:
    """A risk register exists, lists risks, and was reviewed within the last year.

    The review date is the register's ``last_reviewed`` (a ``# last_reviewed:`` comment
    line above a CSV header, or a top-level key in YAML), compared with today in UTC.
    Skipped when ``[files] risk_register = ""`` says the register is kept elsewhere.
    """
    if not register.enabled:
        skip('the risk register is not kept in this folder ([files] risk_register = "")')
    register.raise_problems("last_reviewed")
    assert register.found, f"no risk register: expected {' or '.join(register.expected)}"
    assert register.risk_count, f"{register.path} lists no risks"
    reviewed = register.last_reviewed
    hint = (
        "a '# last_reviewed: YYYY-MM-DD' line above the CSV header"
        if register.format == "csv"
        else "a top-level 'last_reviewed: YYYY-MM-DD'"
    )
    assert reviewed is not None, f"{register.path} has no review date: add {hint}"
    age = age_in_days(reviewed, today)
    assert age >= -FUTURE_SLACK_DAYS, (
        f"{register.path}: last_reviewed {reviewed.isoformat()} is in the future"
    )
    assert age <= max_age_days, (
        f"{register.path} was last reviewed on {reviewed.isoformat()}, {age} days ago "
        f"(limit: {max_age_days} days)"
    )


@risk_assessment.check(
    "files.risk-register.complete",
    over="files_risks",
    severity="medium",
    evidence=["path", "line", "id", "title", "status", *RISK_FIELDS],
    remediation=(
        "Give every risk an id, an owner, a likelihood, an impact and a treatment "
        "(mitigate, accept, transfer or avoid)."
    ),
)
def files_risk_complete(
    risk: Risk,
    required_fields: tuple[str, ...] = RISK_FIELDS,
    treatments: tuple[str, ...] = RISK_TREATMENTS,
) -> None:
    """The risk has an owner, a likelihood, an impact and a treatment.

    ``treatments`` lists the accepted treatment values (case-insensitive); an empty
    list accepts any. Closed risks (``status: closed``) are skipped.
    """
    keys = [k.strip().lower().replace("-", "_").replace(" ", "_") for k in required_fields]
    risk.raise_problems("status", "treatment", *keys)
    where = f"{risk.path}:{risk.line}"
    if risk.closed:
        skip(f"risk {risk.id or where} is {risk.status}")
    assert risk.id, f"{where}: the risk has no id"
    missing = [k for k in keys if is_blank(risk.value(k))]
    assert not missing, f"risk {risk.id} ({where}) has no {', '.join(missing)}"
    allowed = [normalize_id(t) for t in treatments]
    if allowed and risk.treatment is not None:
        assert normalize_id(risk.treatment) in allowed, (
            f"risk {risk.id} ({where}): treatment {risk.treatment!r} is not one of "
            f"{', '.join(allowed)}"
        )
