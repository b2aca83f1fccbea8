"""Permission, plan and rate-limit failures become error findings, never fails or gaps."""

from __future__ import annotations

import time
from typing import Any

from ghtest_helpers import findings, small_world, verdicts

PROTECTED = {"required_approving_review_count": 1, "enforce_admins": True}


def test_non_owner_token_gives_errors_naming_the_role(fake_github: Any, run_github: Any) -> None:
    world = small_world(members=[{"login": "owner", "role": "admin"}, {"login": "dev"}])
    world["tokens"] = {"t": {"login": "dev", "scopes": ["repo", "read:org"]}}
    result = run_github(fake_github(world), checks="github.org.*")
    [req] = findings(result, "github.org.2fa-required")
    assert req.status.value == "error"
    assert "organization owners" in req.message and "read:org" in req.message
    members = findings(result, "github.org.members-2fa")
    assert members and {f.status.value for f in members} == {"error"}
    assert "Only owners can use this filter" in members[0].message
    assert "owner" in members[0].message
    # the owner count needs no owner token
    assert verdicts(result, "github.org.admin-count") == {"acme": "pass"}
    assert not [f for f in result.findings if f.status.value == "fail"]


def test_missing_scope_403_is_an_error_naming_the_scope(fake_github: Any, run_github: Any) -> None:
    world = small_world(repos=[{"name": "site", "private": False, "protection": PROTECTED}])
    world["tokens"] = {"t": {"login": "owner", "scopes": ["read:org"], "org_owner": True}}
    result = run_github(fake_github(world), checks="github.repo.*")
    protected = findings(result, "github.repo.default-branch-protected")
    assert [f.status.value for f in protected] == ["error"]
    message = protected[0].message
    assert "403" in message and "endpoint accepts: repo" in message
    assert "token scopes: read:org" in message and "repo scope" in message
    assert verdicts(result, "github.repo.dependabot-alerts") == {"acme/site": "error"}
    branch = [f for f in result.findings if f.control_id == "branch-protection"]
    assert len(branch) == 6 and {f.status.value for f in branch} == {"error"}


def test_plan_limit_403_is_an_error_naming_the_plan(fake_github: Any, run_github: Any) -> None:
    world = small_world(
        plan="free",
        repos=[{"name": "secret-sauce", "private": True}, {"name": "oss", "private": False}],
    )
    result = run_github(fake_github(world), checks="github.repo.*")
    for check_id in (
        "github.repo.default-branch-protected",
        "github.repo.required-reviews",
        "github.repo.admins-enforced",
    ):
        got = {f.resource_id: f for f in findings(result, check_id)}
        assert got["acme/secret-sauce"].status.value == "error", check_id
        assert "GitHub Team or Enterprise" in got["acme/secret-sauce"].message
        assert got["acme/oss"].status.value == "fail", check_id


def test_bad_token_errors_every_check(fake_github: Any, run_github: Any) -> None:
    world = small_world(repos=[{"name": "r"}])
    world["tokens"] = {"good": {"scopes": ["repo"]}}
    result = run_github(fake_github(world), token="bad")
    assert result.findings
    assert {f.status.value for f in result.findings} == {"error"}
    assert "401" in result.findings[0].message


def test_pagination_across_pages(fake_github: Any, run_github: Any) -> None:
    world = small_world(
        members=[{"login": f"m{i:03}", "two_factor": i % 50 != 0} for i in range(230)]
        + [{"login": "owner", "role": "admin"}],
        repos=[
            {"name": f"r{i:03}", "codeowners": "CODEOWNERS" if i % 2 else None} for i in range(205)
        ],
    )
    gh = fake_github(world)
    result = run_github(gh, checks=["github.repo.codeowners", "github.org.members-2fa"])
    owners = verdicts(result, "github.repo.codeowners")
    assert len(owners) == 205
    assert sum(1 for v in owners.values() if v == "pass") == 102
    members = verdicts(result, "github.org.members-2fa")
    assert len(members) == 231
    assert sorted(k for k, v in members.items() if v == "fail") == [
        f"acme/m{i:03}" for i in range(0, 230, 50)
    ]
    assert gh.requests["GET /orgs/{org}/repos"] == 3  # per_page=100: 100 + 100 + 5
    assert gh.requests["GET /orgs/{org}/members"] == 3 + 1 + 1  # all (3 pages), admin, 2fa


def test_primary_rate_limit_within_budget_waits_and_succeeds(
    fake_github: Any, run_github: Any
) -> None:
    gh = fake_github(small_world(repos=[{"name": "r", "codeowners": "CODEOWNERS"}]))
    gh.exhaust_rate_limit(reset_in=1.5)
    start = time.monotonic()
    result = run_github(gh, checks="github.repo.codeowners", max_wait_seconds=30)
    assert time.monotonic() - start >= 1.0
    assert verdicts(result, "github.repo.codeowners") == {"acme/r": "pass"}
    # the first request (the organization's totals) is refused once, retried after the reset
    assert gh.requests["GET /orgs/{org}"] == 2
    assert gh.requests["GET /orgs/{org}/repos"] == 1


def test_rate_limit_beyond_budget_gives_error_findings(fake_github: Any, run_github: Any) -> None:
    gh = fake_github(small_world(repos=[{"name": "r"}]))
    gh.exhaust_rate_limit(reset_in=600)
    start = time.monotonic()
    result = run_github(
        gh, checks=["github.repo.codeowners", "github.org.2fa-required"], max_wait_seconds=2
    )
    assert time.monotonic() - start < 30
    assert result.findings
    assert {f.status.value for f in result.findings} == {"error"}
    for f in result.findings:
        assert "max_wait_seconds=2" in f.message and "rate limit" in f.message


def test_secondary_rate_limit_honours_retry_after(fake_github: Any, run_github: Any) -> None:
    gh = fake_github(small_world(repos=[{"name": "r", "vulnerability_alerts": True}]))
    gh.secondary_limit(times=1, retry_after=1, status=429)
    start = time.monotonic()
    result = run_github(gh, checks="github.org.2fa-required")
    assert time.monotonic() - start >= 1.0
    assert verdicts(result, "github.org.2fa-required") == {"acme": "pass"}
    assert gh.requests["GET /orgs/{org}"] == 2
    gh.secondary_limit(times=2, retry_after=1, status=403)
    result = run_github(gh, checks="github.repo.dependabot-alerts")
    assert verdicts(result, "github.repo.dependabot-alerts") == {"acme/r": "pass"}


def test_secondary_rate_limit_beyond_budget_is_error(fake_github: Any, run_github: Any) -> None:
    gh = fake_github(small_world())
    gh.secondary_limit(times=1, retry_after=120, status=403)
    result = run_github(gh, checks="github.org.2fa-required", max_wait_seconds=5)
    [f] = result.findings
    assert f.status.value == "error" and "Retry-After" in f.message


def test_token_blind_to_private_repos_is_an_error_naming_the_gap(
    fake_github: Any, run_github: Any
) -> None:
    """Without the repo scope the listing silently drops private repositories: the
    organization's own totals reveal the gap, which becomes error findings and facts."""
    world = small_world(
        repos=[
            {"name": "oss", "private": False, "codeowners": "CODEOWNERS"},
            {"name": "secret-a", "private": True},
            {"name": "secret-b", "private": True, "archived": True},
        ]
    )
    world["tokens"] = {"t": {"login": "owner", "scopes": ["read:org"], "org_owner": True}}
    result = run_github(fake_github(world), checks="github.repo.codeowners")
    got = {f.resource_id: f for f in findings(result, "github.repo.codeowners")}
    assert got["acme/oss"].status.value == "pass"
    [gap] = [f for rid, f in got.items() if rid != "acme/oss"]
    assert gap.status.value == "error"
    assert gap.resource_id == "acme/<2 repositories not visible to the token>"
    assert "1 public + 2 private repositories" in gap.message
    assert "returned 1 public + 0 private" in gap.message and "repo scope" in gap.message
    facts = result.run.facts["github"]["acme.repositories"]
    assert facts["listed"] == 1 and facts["org_total_private_repos"] == 2
    assert facts["org_public_repos"] == 1 and facts["missing"] == 2


def test_full_listing_has_no_gap_and_records_counts(fake_github: Any, run_github: Any) -> None:
    world = small_world(repos=[{"name": "a", "private": False}, {"name": "b", "private": True}])
    result = run_github(fake_github(world), checks="github.repo.codeowners")
    assert set(verdicts(result, "github.repo.codeowners")) == {"acme/a", "acme/b"}
    facts = result.run.facts["github"]["acme.repositories"]
    assert facts == {
        "listed": 2,
        "listed_public": 1,
        "listed_private": 1,
        "missing": 0,
        "org_public_repos": 1,
        "org_total_private_repos": 1,
    }


def test_hidden_private_total_is_recorded_as_unverified(fake_github: Any, run_github: Any) -> None:
    world = small_world(repos=[{"name": "a", "private": True}])
    world["tokens"] = {"t": {"login": "dev", "scopes": ["repo", "read:org"]}}
    result = run_github(fake_github(world), checks="github.repo.codeowners")
    facts = result.run.facts["github"]["acme.repositories"]
    assert facts["org_total_private_repos"] is None
    assert "shown only to organization owners" in facts["unverified"]
