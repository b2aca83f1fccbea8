"""Change management: ownership of code is defined, and every change that reached a
default branch in the period was reviewed, tested and went through the rules.

Code owners make the approvers of each change explicit; the change population (every
merged pull request and every commit on the default branch in ``[github]
change_period_days``) shows that the process operated (CC8.1).
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_github.models import (
    BranchCommit,
    MergedPull,
    PullBypass,
    PullChecks,
    RepoCodeowners,
    UnverifiableError,
)

change_management = control("change-management", criteria=["CC8.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- github ---


@change_management.check(
    "github.repo.codeowners",
    over="github_codeowners",
    severity="low",
    remediation=(
        "Add a CODEOWNERS file to .github/, the repository root or docs/ on the default "
        "branch, naming the teams that must review each path; fix every error GitHub shows "
        "for it (Code tab > CODEOWNERS file, or GET /repos/{owner}/{repo}/codeowners/errors)."
    ),
)
def github_codeowners(codeowners: RepoCodeowners) -> None:
    """The repository has a CODEOWNERS file in a standard location, free of errors.

    GitHub looks in ``.github/CODEOWNERS``, ``CODEOWNERS`` and ``docs/CODEOWNERS`` on
    the default branch, and ignores every line it reports in ``GET .../codeowners/errors``
    (unknown owners, bad patterns): a file full of errors names no reviewer at all.
    """
    if codeowners.empty:
        skip(f"{codeowners.repo} is empty")
    codeowners.known()
    assert codeowners.present, (
        f"{codeowners.repo} has no CODEOWNERS file in .github/, the root or docs/"
    )
    errors = codeowners.file_errors
    assert not errors, (
        f"{codeowners.repo}: GitHub reports {len(errors)} error(s) in "
        f"{codeowners.path or 'CODEOWNERS'}, whose lines it ignores: "
        + "; ".join(errors[:5])
        + ("; ..." if len(errors) > 5 else "")
    )


# --- github: the change population of the period ---

POPULATION_EVIDENCE = ["repo", "number", "author", "merged_at", "head_sha", "population"]
PASSING_CONCLUSIONS = frozenset({"success", "neutral", "skipped"})


def _change(change: MergedPull | PullChecks | PullBypass) -> None:
    change.known()
    if not change.number:
        raise UnverifiableError(f"{change.repo}: the changes of the period were not listed")


@change_management.check(
    "github.change.reviewed",
    over="github_merged_pulls",
    severity="high",
    evidence=[*POPULATION_EVIDENCE, "reviews", "last_committers", "dismiss_stale_reviews"],
    remediation=(
        "Require an approving review before merging (branch ruleset 'Require a pull "
        "request before merging' with 'Dismiss stale approvals' and 'Require approval of "
        "the most recent reviewable push'); review the listed pull request after the fact "
        "and record the review."
    ),
)
def github_change_reviewed(pull: MergedPull) -> None:
    """Each pull request merged into the default branch in the period was approved by
    someone other than its author and other than the people who pushed its last commit,
    on its final head commit (or the branch dismisses stale approvals, so a surviving
    approval is on the final code).

    Only each reviewer's latest decisive review counts (``APPROVED``, ``CHANGES_REQUESTED``
    or ``DISMISSED``; comments do not change a decision).
    """
    _change(pull)
    latest: dict[str, tuple[str, str | None]] = {}
    for review in pull.reviews:
        if review.user and review.state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[review.user] = (review.state, review.commit_id)
    excluded = {p for p in (pull.author, *pull.last_committers) if p}
    approvals = [u for u, (state, _c) in latest.items() if state == "APPROVED"]
    independent = [u for u in approvals if u not in excluded]
    on_head = [
        u for u in independent if pull.dismiss_stale_reviews or latest[u][1] == pull.head_sha
    ]
    where = f"{pull.repo}#{pull.number} (merged {pull.merged_at})"
    assert approvals, f"{where} was merged without an approving review"
    assert independent, (
        f"{where} was approved only by {', '.join(sorted(approvals))}, who wrote or pushed "
        f"it (author {pull.author}, last commit by {', '.join(pull.last_committers) or '?'})"
    )
    assert on_head, (
        f"{where}: the approval by {', '.join(sorted(independent))} was given on an earlier "
        f"commit, not on the merged head {str(pull.head_sha)[:12]}, and the branch does not "
        "dismiss stale approvals"
    )


@change_management.check(
    "github.change.checks-passed",
    over="github_pull_checks",
    severity="high",
    evidence=[*POPULATION_EVIDENCE, "required", "results"],
    remediation=(
        "Require the status checks to pass before merging, without bypass; investigate the "
        "listed pull request: rerun its checks and record the result."
    ),
)
def github_change_checks_passed(pull: PullChecks) -> None:
    """The required status checks of the base branch were successful on the head commit of
    each pull request merged in the period (commit statuses ``success``; check runs
    ``success``, ``neutral`` or ``skipped``, as GitHub counts them)."""
    _change(pull)
    if pull.required is None:
        raise UnverifiableError(f"{pull.repo}: the required status checks are not known")
    if not pull.required:
        skip(
            f"{pull.repo}: the default branch requires no status check "
            "(see github.repo.status-checks)"
        )
    bad = []
    for context in pull.required:
        got = pull.results.get(context)
        if got not in PASSING_CONCLUSIONS:
            bad.append(f"{context}: {got or 'missing'}")
    assert not bad, (
        f"{pull.repo}#{pull.number} was merged (at {pull.merged_at}) with required checks "
        f"not successful on {str(pull.head_sha)[:12]}: {'; '.join(bad)}"
    )


@change_management.check(
    "github.change.no-direct-push",
    over="github_branch_commits",
    severity="high",
    evidence=[
        "repo",
        "sha",
        "date",
        "author",
        "committer",
        "message",
        "pulls",
        "matched_by",
        "population",
    ],
    remediation=(
        "Block direct pushes to the default branch (ruleset 'Require a pull request before "
        "merging' with no bypass, or classic protection with 'Do not allow bypassing'); "
        "review the listed commit after the fact and record the review."
    ),
)
def github_change_no_direct_push(commit: BranchCommit) -> None:
    """Every commit that reached the default branch in the period belongs to a merged pull
    request: its merge commit, its squash commit, one of its rebased commits, or a commit
    merged in through a merge commit. A commit that belongs to none was pushed directly."""
    commit.known()
    assert commit.pulls, (
        f"{commit.repo}: commit {commit.sha[:12]} ({commit.date}, by "
        f"{commit.committer or commit.author or '?'}: {commit.message!r}) reached the "
        "default branch without a merged pull request"
    )


@change_management.check(
    "github.change.no-bypass",
    over="github_pull_bypass",
    severity="high",
    evidence=[
        *POPULATION_EVIDENCE,
        "merge_commit_sha",
        "protected",
        "ruleset_layers",
        "classic_bypass",
        "suites_since",
        "bypassed_by",
    ],
    remediation=(
        "Remove standing bypass permissions from the default branch's rulesets (grant "
        "bypass for an approved emergency only) and enable 'Do not allow bypassing' in "
        "classic protection; review the listed merge and record why it bypassed the rules."
    ),
)
def github_change_no_bypass(pull: PullBypass) -> None:
    """No pull request merged in the period bypassed the rules of its base branch.

    GitHub records ruleset bypasses in rule suites for about a month; it keeps no REST
    record of classic protection overrides. A merge outside what the API records is an
    ``error``, never a pass.
    """
    _change(pull)
    if not pull.protected:
        skip(
            f"{pull.repo}: the default branch has no rules to bypass (see "
            "github.repo.default-branch-protected)"
        )
    assert not pull.bypassed_by, (
        f"{pull.repo}#{pull.number} was merged by {pull.bypassed_by} bypassing the branch's "
        f"rulesets (rule suite for {str(pull.merge_commit_sha)[:12]})"
    )
    if pull.classic_bypass:
        raise UnverifiableError(
            f"{pull.repo}: classic branch protection can be bypassed by "
            f"{', '.join(pull.classic_bypass)}, and GitHub's REST API does not record its "
            "overrides (only the organization audit log's protected_branch.policy_override): "
            "could not verify"
        )
    if not pull.ruleset_layers:
        return
    if pull.suites_since and pull.merged_at and pull.merged_at < pull.suites_since:
        raise UnverifiableError(
            f"{pull.repo}#{pull.number} was merged at {pull.merged_at}, before "
            f"{pull.suites_since}: GitHub keeps rule suites for a month, so a bypass "
            "cannot be verified"
        )
