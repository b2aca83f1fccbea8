"""The change-management population: merged pull requests and default-branch commits of
the period, judged through PyGithub against FakeGitHub over loopback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ghtest_helpers import findings, small_world, verdicts

from soc2checks import RunResult
from soc2checks.testing.github import FakeGitHub
from soc2checks.testing.github._changes import sha

GOOD = 120  # more than one page of 100


def _good(number: int, days_ago: float, **extra: Any) -> dict[str, Any]:
    pr: dict[str, Any] = {
        "number": number,
        "author": "erin",
        "days_ago": days_ago,
        "reviews": [{"user": "rev"}],
        "statuses": {"ci": "success"},
    }
    pr.update(extra)
    return pr


def world() -> dict[str, Any]:
    api_pulls = [_good(n, 0.5 + n * 0.2) for n in range(1, GOOD + 1)]
    api_pulls += [
        _good(200, 1.1, reviews=[{"user": "erin"}]),  # self-approved
        _good(201, 1.2, commits=[{"author": "erin"}, {"author": "rev"}]),  # approver pushed last
        _good(202, 1.3, statuses={"ci": "failure"}),
        _good(203, 1.4, bypass=True),
        _good(204, 1.5, method="merge", commits=[{}, {}]),
        _good(205, 1.6, method="rebase", commits=[{}, {}, {}]),
        _good(206, 40),  # older than the rule suites GitHub keeps
        _good(207, 200),  # before the period
        _good(208, 1.7, merged=False, reviews=[]),  # closed without merging
        _good(209, 1.8, reviews=[{"user": "rev"}, {"user": "rev", "state": "CHANGES_REQUESTED"}]),
    ]
    web_pulls = [
        {"number": 1, "author": "erin", "days_ago": 2, "reviews": [{"user": "rev"}],
         "check_runs": {"build": "success"}},
        {"number": 2, "author": "erin", "days_ago": 3, "reviews": [{"user": "rev", "on": "old"}],
         "commits": [{}, {}], "check_runs": {"build": "success"}},
        {"number": 3, "author": "erin", "days_ago": 4, "reviews": [{"user": "rev"}],
         "check_runs": {"build": "failure"}},
    ]  # fmt: skip
    return small_world(
        repos=[
            {
                "name": "api",
                "rulesets": [
                    {
                        "id": 11,
                        "rules": [
                            {
                                "type": "pull_request",
                                "parameters": {
                                    "required_approving_review_count": 1,
                                    "dismiss_stale_reviews_on_push": True,
                                },
                            },
                            {
                                "type": "required_status_checks",
                                "parameters": {"required_status_checks": [{"context": "ci"}]},
                            },
                        ],
                        "bypass_actors": [
                            {"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"}
                        ],
                    }
                ],
                "changes": {
                    "pulls": api_pulls,
                    "pushes": [{"author": "owner", "days_ago": 1.05, "bypass": True}],
                },
            },
            {
                "name": "web",
                "protection": {
                    "required_approving_review_count": 1,
                    "enforce_admins": True,
                    "required_status_checks": ["build"],
                },
                "changes": {"pulls": web_pulls},
            },
            {"name": "quiet", "changes": {}},
        ]
    )


CHANGE_CHECKS = "github.change.*"


@pytest.fixture
def result_and_fake(
    fake_github: Callable[..., FakeGitHub], run_github: Callable[..., RunResult]
) -> tuple[RunResult, FakeGitHub]:
    gh = fake_github(world())
    return run_github(gh, CHANGE_CHECKS), gh


def test_direct_push_found_among_many_good_changes(
    result_and_fake: tuple[RunResult, FakeGitHub],
) -> None:
    result, gh = result_and_fake
    got = verdicts(result, "github.change.no-direct-push")
    push = f"acme/api@{sha('acme/api', 'push', 0)[:12]}"
    assert got.pop(push) == "fail"
    assert set(got.values()) == {"pass"}
    # every commit of the period: 126 squash commits, 1 merge commit with its 2 commits,
    # 3 rebased (#207 is before the period, #208 was never merged), 3 squashes in web
    assert len(got) == (GOOD + 6) + 3 + 3 + 3
    rebased = [
        f for f in findings(result, "github.change.no-direct-push")
        if f.resource_id.startswith("acme/api@")
        and f.resource_id.split("@")[1] in {sha("acme/api", "rebase", 205, j)[:12] for j in range(3)}
    ]  # fmt: skip
    assert len(rebased) == 3 and all(f.status.value == "pass" for f in rebased)
    # only the commits the listings could not match cost a request: 2 rebased + the push
    assert gh.requests["GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls"] == 3
    fail = next(
        f for f in findings(result, "github.change.no-direct-push") if f.resource_id == push
    )
    assert "without a merged pull request" in fail.message
    pop = fail.evidence["population"]
    assert pop["commits"] == len([r for r in got if r.startswith("acme/api")]) + 1
    assert pop["direct_commits"] == 1
    assert any("since=" in q for q in pop["queries"])


def test_self_approved_and_stale_approvals_fail(
    result_and_fake: tuple[RunResult, FakeGitHub],
) -> None:
    result, _gh = result_and_fake
    got = verdicts(result, "github.change.reviewed")
    assert got.pop("acme/api#200") == "fail"  # approved only by its author
    assert got.pop("acme/api#201") == "fail"  # approver pushed the last commit
    assert got.pop("acme/api#209") == "fail"  # approval withdrawn
    assert got.pop("acme/web#2") == "fail"  # approval on an earlier commit, not dismissed
    assert "acme/api#207" not in got and "acme/api#208" not in got
    assert set(got.values()) == {"pass"}
    assert len(got) == GOOD + 5 + 2  # 202..206 of api, web#1 and web#3
    msg = next(
        f for f in findings(result, "github.change.reviewed") if f.resource_id == "acme/api#200"
    )
    assert "erin" in msg.message and msg.evidence["population"]["merged_pulls"] == GOOD + 8


def test_checks_passed(result_and_fake: tuple[RunResult, FakeGitHub]) -> None:
    result, gh = result_and_fake
    got = verdicts(result, "github.change.checks-passed")
    assert got.pop("acme/api#202") == "fail"
    assert got.pop("acme/web#3") == "fail"
    assert got.pop("acme/web#1") == "pass"  # a check run, not a status
    assert set(got.values()) == {"pass"}
    # check runs are read only where the statuses lack a required context (web)
    assert gh.requests["GET /repos/{owner}/{repo}/commits/{ref}/check-runs"] == 3


def test_bypass_found_and_unverifiable_merges_are_errors(
    result_and_fake: tuple[RunResult, FakeGitHub],
) -> None:
    result, gh = result_and_fake
    got = verdicts(result, "github.change.no-bypass")
    assert got.pop("acme/api#203") == "fail"
    assert got.pop("acme/api#206") == "error"  # merged before the month rule suites cover
    # web: classic protection that binds admins and has no bypass list
    assert {got.pop(f"acme/web#{n}") for n in (1, 2, 3)} == {"pass"}
    assert set(got.values()) == {"pass"}
    assert gh.requests["GET /repos/{owner}/{repo}/rulesets/rule-suites"] == 1


def test_pages_of_100(result_and_fake: tuple[RunResult, FakeGitHub]) -> None:
    result, gh = result_and_fake
    # api: 129 closed pull requests (2 pages), 131 commits (2 pages); web and quiet: 1 each
    assert gh.requests["GET /repos/{owner}/{repo}/pulls"] == 2 + 1 + 1
    assert gh.requests["GET /repos/{owner}/{repo}/commits"] == 2 + 1 + 1
    facts = result.run.facts["github"]
    assert facts["acme.changes"]["merged_pulls"] == GOOD + 8 + 3
    assert facts["request_budget"]["remaining_at_start"] > 0


def test_listing_stops_past_the_period(
    fake_github: Callable[..., FakeGitHub], run_github: Callable[..., RunResult]
) -> None:
    old = [_good(n, 100 + n) for n in range(1, 251)]  # 250 merged before the period
    w = small_world(repos=[{"name": "api", "changes": {"pulls": [_good(999, 1), *old]}}])
    gh = fake_github(w)
    result = run_github(gh, "github.change.reviewed")
    assert verdicts(result, "github.change.reviewed") == {"acme/api#999": "pass"}
    assert gh.requests["GET /repos/{owner}/{repo}/pulls"] == 1  # not 3 pages


def test_a_run_that_cannot_fit_says_so_up_front(
    fake_github: Callable[..., FakeGitHub], run_github: Callable[..., RunResult]
) -> None:
    w = world()
    w["rate_limit"] = 40
    gh = fake_github(w)
    result = run_github(gh, "github.change.reviewed")
    got = verdicts(result, "github.change.reviewed")
    assert set(got.values()) == {"error"}
    budget = [line for line in result.run.warnings if "request budget" in line]
    assert len(budget) == 1 and "GET /rate_limit" in budget[0]
    assert result.run.facts["github"]["request_budget"]["refused"]
    # no per-pull request was made
    assert gh.requests["GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"] == 0


def test_listing_denied_is_an_error_not_a_pass(
    fake_github: Callable[..., FakeGitHub], run_github: Callable[..., RunResult]
) -> None:
    w = world()
    w["tokens"] = {"t": {"login": "auditor", "scopes": ["read:org"], "org_owner": True}}
    gh = fake_github(w)
    result = run_github(gh, CHANGE_CHECKS)
    for check in ("reviewed", "checks-passed", "no-direct-push", "no-bypass"):
        got = verdicts(result, f"github.change.{check}")
        assert got and set(got.values()) == {"error"}, (check, got)
