"""Access reviews: who can reach each system is reviewed every quarter, and acted on.

Auditors test user access reviews (CC6.2, CC6.3, CC6.4-style reviews of logical access)
as a population over time: each in-scope system reviewed recently, every current
principal covered, nobody reviewing their own access, revocations carried out within
a few days, and privileged access kept only with a reason. The principals come from
the ``access`` provider (built from the other providers' fetches); the review files
from ``soc2checks access-review start`` and ``close``.
"""

from __future__ import annotations

import datetime as dt

from soc2checks import control, skip
from soc2checks_access.fixtures import AccessError, ReviewDecision, reviews_of
from soc2checks_access.models import AccessSystem, Principal
from soc2checks_access.reviews import Review, ident, latest_completed

reviews = control("access-reviews", criteria=["CC6.2", "CC6.3", "CC6.4"])

_START = "run `soc2checks access-review start {system}`, decide every entry, then `close` it"


def _last(system: AccessSystem, access_reviews: list[Review]) -> Review | None:
    if system.error is not None:
        raise AccessError(f"principals of {system.system} cannot be fetched: {system.error}")
    return latest_completed(reviews_of(system, access_reviews), system.system)


@reviews.check(
    "access.review.recent",
    over="access_system",
    severity="high",
    remediation=_START,
)
def review_recent(
    access_system: AccessSystem,
    access_reviews: list[Review],
    today: dt.date,
    max_age_days: int = 90,
) -> None:
    """The system has a completed access review within max_age_days (90)."""
    last = _last(access_system, access_reviews)
    assert last is not None and last.completed_on is not None, (
        f"{access_system.system} has no completed access review"
    )
    age = (today - last.completed_on).days
    assert age <= max_age_days, (
        f"{access_system.system}: the last completed access review ({last.display}, "
        f"{last.completed_on}) is {age} days old (at most {max_age_days})"
    )


@reviews.check(
    "access.review.coverage",
    over="principals",
    severity="high",
    remediation=_START,
)
def review_coverage(
    principal: Principal, access_system: AccessSystem, access_reviews: list[Review]
) -> None:
    """The principal is in its system's last completed review, or was created after it."""
    last = _last(access_system, access_reviews)
    assert last is not None, f"{principal.key}: {principal.system} has no completed access review"
    if principal.key in last.principal_keys():
        return
    started = last.started_on
    created = principal.created.date() if principal.created is not None else None
    assert created is not None and started is not None and created >= started, (
        f"{principal.key} is not in the last completed review ({last.display})"
        + ("" if created is None else f" and was created on {created}, before it")
    )


@reviews.check(
    "access.review.no-self-review",
    over="access_review_decisions",
    severity="high",
    remediation="have someone other than the account holder decide the entry, and re-close",
)
def no_self_review(decision: ReviewDecision) -> None:
    """The reviewer of a decision is not the principal reviewed."""
    if decision.decision == "pending" or decision.reviewer is None:
        skip("no decision")
    me = ident(decision.reviewer)
    assert me not in {ident(decision.account), ident(decision.display_name)}, (
        f"{decision.review}:{decision.line}: {decision.reviewer} reviewed their own "
        f"account {decision.key}"
    )


@reviews.check(
    "access.review.revocations-done",
    over="access_review_decisions",
    severity="high",
    remediation="remove the account (or its access) and run the checks again",
)
def revocations_done(
    decision: ReviewDecision,
    principals: list[Principal],
    today: dt.date,
    revoke_sla_days: int = 5,
) -> None:
    """A principal a review decided to revoke is gone within revoke_sla_days (5)."""
    if decision.decision != "revoke":
        skip(f"decision is {decision.decision}")
    if decision.key not in {p.key for p in principals}:
        return
    if decision.reviewed_on is None:
        raise AccessError(f"{decision.review}:{decision.line}: revoke decision has no reviewed_on")
    due = decision.reviewed_on + dt.timedelta(days=revoke_sla_days)
    if today <= due:
        skip(f"{decision.account} is still present; revocation due by {due}")
    raise AssertionError(
        f"{decision.account} on {decision.system} was to be revoked on {decision.reviewed_on} "
        f"({decision.review}:{decision.line}) and still has access {(today - due).days} days "
        f"after the {revoke_sla_days}-day deadline"
    )


@reviews.check(
    "access.review.privileged-justified",
    over="access_review_decisions",
    severity="medium",
    remediation="say in the entry's note why the privileged access is still needed",
)
def privileged_justified(decision: ReviewDecision) -> None:
    """A privileged principal the review kept has a note saying why."""
    if decision.decision != "keep":
        skip(f"decision is {decision.decision}")
    if decision.privileged is False:
        skip("not privileged")
    assert decision.note, (
        f"{decision.review}:{decision.line}: {decision.key} is privileged"
        + (" (or not known not to be)" if decision.privileged is None else "")
        + " and was kept without a note"
    )
