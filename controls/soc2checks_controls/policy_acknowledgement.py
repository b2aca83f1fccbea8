"""Policy acknowledgement: everyone acknowledged the current version of key policies.

Acknowledging the code of conduct and security policies shows commitment to integrity
(CC1.1) and holds people accountable for their responsibilities (CC1.5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control
from soc2checks_controls._people import person, sort_roster, who
from soc2checks_controls._tabular import key_of, required_records, row_error, skipped, verdict
from soc2checks_files.models import PolicyDocument, normalize_id
from soc2checks_files.records import RecordBook

policy_acknowledgement = control("policy-acknowledgement", criteria=["CC1.1", "CC1.5"])

# --- files ---

_TRUE = frozenset({"true", "yes", "y", "1"})


def _needs_acknowledgement(policy: PolicyDocument) -> bool:
    flag = policy.other.get("acknowledge")
    return isinstance(flag, str) and flag.strip().lower() in _TRUE and policy.in_force


@policy_acknowledgement.check(
    "files.people.policy-acknowledgement",
    severity="medium",
    remediation=(
        "Have the person acknowledge the current version of the policy and add it to "
        "records/policy-acknowledgements.csv (email, policy, version, acknowledged_on)."
    ),
)
def files_policy_acknowledgement(
    files_record_book: RecordBook,
    files_policies: list[PolicyDocument],
    today: dt.date,
    onboarding_days: int = 30,
) -> Iterator[Finding]:
    """Every active person acknowledged the current version of each policy to acknowledge.

    Policies to acknowledge say ``acknowledge: true`` in their front matter; their
    current version is the front matter ``version``. Reads the roster and
    ``records/policy-acknowledgements*`` (policy by its ``id``). People who joined
    within ``onboarding_days`` are skipped.
    """
    policies = sorted((p for p in files_policies if _needs_acknowledgement(p)), key=lambda p: p.id)
    assert policies, "no policy in force is marked 'acknowledge: true' in its front matter"
    for policy in policies:
        if policy.problems_for("version", "acknowledge") or not policy.version:
            yield Finding(
                status=Status.ERROR,
                resource_id=policy.resource_id,
                resource_type="files:policy",
                message=f"{policy.path} is to be acknowledged but gives no readable version",
            )
    policies = [p for p in policies if p.version and not p.problems_for("version")]
    roster = sort_roster(required_records(files_record_book, "personnel"), today)
    acks = required_records(files_record_book, "policy-acknowledgements")
    yield from roster.findings()
    done: set[tuple[str, str, str]] = set()
    for row in acks.rows:
        error = row_error(row, "email", "policy", "version", "acknowledged_on")
        if error is not None:
            yield error
            continue
        done.add((person(row), normalize_id(row.text("policy") or ""), key_of(row.text("version"))))
    for row in roster.active:
        start = row.date("start_date")
        if start is not None and (today - start).days <= onboarding_days:
            yield skipped(row, f"{who(row)} joined on {start}, within {onboarding_days} days")
            continue
        missing = [
            f"{p.id} v{p.version}"
            for p in policies
            if (person(row), p.id, key_of(p.version)) not in done
        ]
        yield verdict(
            not missing,
            row,
            f"{who(row)} has not acknowledged {', '.join(missing)}"
            if missing
            else f"{who(row)} acknowledged {', '.join(f'{p.id} v{p.version}' for p in policies)}",
            missing=missing,
        )
