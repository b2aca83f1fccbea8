"""Branch protection: changes reach the default branch only through reviewed, tested pull requests.

Protected default branches are the technical evidence of authorised, tested and approved
change (CC8.1).
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_controls._branch_rules import (
    Requirement,
    admin_binding,
    required_approvals,
    required_status_checks,
    rule_binding,
)
from soc2checks_github.models import BranchRules, UnverifiableError

branch_protection = control("branch-protection", criteria=["CC8.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- github ---


def _github_rules(rules: BranchRules) -> BranchRules:
    if rules.empty:
        skip(f"{rules.repo} is empty: it has no default branch yet")
    rules.known()
    return rules


def _github_where(rules: BranchRules) -> str:
    if not rules.sources:
        return "no classic protection and no active ruleset"
    return " + ".join(s.name for s in rules.sources)


@branch_protection.check(
    "github.repo.default-branch-protected",
    over="github_branch_rules",
    severity="high",
    remediation=(
        "Protect the default branch: add a branch ruleset targeting the default branch "
        "(Settings > Rules > Rulesets, enforcement 'Active') or a classic branch protection rule."
    ),
)
def github_default_branch_protected(rules: BranchRules) -> None:
    """The default branch is protected by a classic rule or an active ruleset.

    Both are read: rulesets at repository and organization level count as protection,
    rulesets in 'evaluate' or 'disabled' mode do not (GitHub does not enforce them).
    """
    _github_rules(rules)
    assert rules.protected, (
        f"default branch {rules.branch!r} of {rules.repo} is not protected "
        "(no classic protection and no active ruleset applies)"
    )


@branch_protection.check(
    "github.repo.required-reviews",
    over="github_branch_rules",
    severity="high",
    remediation=(
        "Require a pull request before merging with at least the required number of "
        "approvals (ruleset rule 'Require a pull request before merging', or classic "
        "'Require approvals')."
    ),
)
def github_required_reviews(rules: BranchRules, min_approvals: int = 1) -> None:
    """Changes to the default branch need at least `min_approvals` approving reviews.

    The count is the highest required by a layer (classic protection or an active
    ruleset) that non-admins cannot bypass: a ruleset bypass entry other than the admin
    role and organization owners, or a classic ``bypass_pull_request_allowances`` entry,
    makes that layer's count not count. Whether admins are bound is judged by
    ``github.repo.admins-enforced``.
    """
    _github_rules(rules)
    need = required_approvals(rules)
    if need.value >= min_approvals:
        return
    _unverifiable_if_hidden(rules, need, min_approvals)
    raise AssertionError(
        f"{rules.repo}: pull requests into {rules.branch!r} need {need.value} approving "
        f"review(s) that cannot be bypassed, fewer than {min_approvals} "
        f"({_requirement_detail(rules, need)})"
    )


def _unverifiable_if_hidden(rules: BranchRules, need: Requirement, wanted: int) -> None:
    """Could-not-judge when a layer with a hidden bypass list might have satisfied it."""
    if need.hidden and need.hidden_value >= wanted:
        raise UnverifiableError(f"{rules.repo}: " + "; ".join(need.hidden))


def _requirement_detail(rules: BranchRules, need: Requirement) -> str:
    parts = [*need.binding, *need.bypassable, *need.hidden]
    return "; ".join(parts) if parts else _github_where(rules)


@branch_protection.check(
    "github.repo.dismiss-stale-reviews",
    over="github_branch_rules",
    severity="medium",
    remediation=(
        "Enable 'Dismiss stale pull request approvals when new commits are pushed' "
        "(ruleset pull request rule, or classic protection)."
    ),
)
def github_dismiss_stale_reviews(rules: BranchRules) -> None:
    """New commits pushed to a pull request dismiss earlier approvals.

    Otherwise code added after the review is merged without being reviewed.
    """
    _github_rules(rules)
    assert rules.dismiss_stale_reviews, (
        f"{rules.repo}: approvals on pull requests into {rules.branch!r} survive new "
        f"pushes ({_github_where(rules)})"
    )


@branch_protection.check(
    "github.repo.status-checks",
    over="github_branch_rules",
    severity="medium",
    remediation=(
        "Require status checks to pass before merging and select the CI checks "
        "(ruleset rule 'Require status checks to pass', or classic protection)."
    ),
)
def github_status_checks(rules: BranchRules) -> None:
    """Merging into the default branch requires status checks (CI) to pass.

    Status checks count only from a layer that non-admins cannot bypass (see
    ``github.repo.required-reviews``).
    """
    _github_rules(rules)
    need = required_status_checks(rules)
    if need.value:
        return
    _unverifiable_if_hidden(rules, need, 1)
    raise AssertionError(
        f"{rules.repo}: no status check that cannot be bypassed is required before merging "
        f"into {rules.branch!r} ({_requirement_detail(rules, need)})"
    )


@branch_protection.check(
    "github.repo.no-force-push",
    over="github_branch_rules",
    severity="high",
    remediation=(
        "Block force pushes and deletion of the default branch (ruleset rules 'Block force "
        "pushes' and 'Restrict deletions', or leave them disallowed in classic protection)."
    ),
)
def github_no_force_push(rules: BranchRules) -> None:
    """Force pushes to the default branch and its deletion are blocked.

    Either would rewrite or erase the approved history an auditor relies on. Each
    counts only from a layer non-admins cannot bypass (admins: see
    ``github.repo.admins-enforced``).
    """
    _github_rules(rules)
    allowed: list[str] = []
    details: list[str] = []
    for what, kind in (("force pushes", "non_fast_forward"), ("deletion", "deletion")):
        need = rule_binding(rules, kind)
        if need.value:
            continue
        _unverifiable_if_hidden(rules, need, 1)
        allowed.append(what)
        details += [*need.bypassable]
    if allowed:
        raise AssertionError(
            f"{rules.repo}: {' and '.join(allowed)} of {rules.branch!r} "
            f"{'are' if len(allowed) > 1 else 'is'} allowed "
            f"({'; '.join(details) if details else _github_where(rules)})"
        )


@branch_protection.check(
    "github.repo.admins-enforced",
    over="github_branch_rules",
    severity="medium",
    remediation=(
        "Make the rules bind administrators: in classic protection tick 'Do not allow "
        "bypassing the above settings'; in a ruleset remove the bypass list entries."
    ),
)
def github_admins_enforced(rules: BranchRules) -> None:
    """Every rule on the default branch applies to administrators too.

    Judged per rule: each rule type some layer requires (pull requests, status checks,
    force-push and deletion blocks, ...) must be enforced by at least one layer that
    admins cannot bypass (classic protection with 'Do not allow bypassing the above
    settings'; a ruleset whose bypass list has neither the admin role, any other
    repository role, nor organization admins). One layer binding admins does not cover
    the rules only another, bypassable, layer carries.
    """
    _github_rules(rules)
    assert rules.protected, f"{rules.repo}: default branch {rules.branch!r} is not protected"
    judged = admin_binding(rules)
    if judged.bypassed:
        raise AssertionError(
            f"{rules.repo}: administrators can bypass these rules on {rules.branch!r}: "
            + "; ".join(f"{k} (only in {', '.join(v)})" for k, v in sorted(judged.bypassed.items()))
        )
    if judged.hidden:
        raise UnverifiableError(
            f"{rules.repo}: could not read the bypass list of the layers carrying "
            + "; ".join(f"{k} ({', '.join(v)})" for k, v in sorted(judged.hidden.items()))
        )
