"""Verdicts an auditor can trust: bypassable layers, CODEOWNERS errors, plan limits.

Each test runs PyGithub against the fake GitHub through ``soc2checks.run`` and names
the fail-open path it closes.
"""

from __future__ import annotations

from typing import Any

import pytest
from ghtest_helpers import findings, small_world, verdicts

ADMIN_ALWAYS = {"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"}
REVIEW_AND_CI = [
    {"type": "pull_request", "parameters": {"required_approving_review_count": 2}},
    {
        "type": "required_status_checks",
        "parameters": {"required_status_checks": [{"context": "ci"}]},
    },
]
CLASSIC_ADMINS_BOUND = {
    "required_approving_review_count": None,  # no pull request rule in classic
    "enforce_admins": True,
}


def _one(result: Any, check_id: str) -> Any:
    [f] = findings(result, check_id)
    return f


def test_admin_bypassable_ruleset_is_not_saved_by_a_classic_layer_binding_admins(
    fake_github: Any, run_github: Any
) -> None:
    """Classic protection binds admins but carries no review rule; the ruleset with the
    review and status-check rules lets RepositoryRole admins bypass 'always'. Admins then
    merge unreviewed code: admins-enforced must fail (it passed on any binding layer)."""
    world = small_world(
        repos=[
            {
                "name": "svc",
                "protection": CLASSIC_ADMINS_BOUND,
                "rulesets": [{"id": 11, "rules": REVIEW_AND_CI, "bypass_actors": [ADMIN_ALWAYS]}],
            }
        ]
    )
    result = run_github(fake_github(world), checks="github.repo.*")
    admins = _one(result, "github.repo.admins-enforced")
    assert admins.status.value == "fail"
    assert "pull_request" in admins.message and "required_status_checks" in admins.message
    assert "repository admins (RepositoryRole 5) (always)" in admins.message
    # non-admins cannot bypass the ruleset: reviews and CI bind them
    assert verdicts(result, "github.repo.required-reviews") == {"acme/svc": "pass"}
    assert verdicts(result, "github.repo.status-checks") == {"acme/svc": "pass"}
    # the evidence says which layer enforces what, and who may bypass it
    layers = {s["name"]: s for s in admins.evidence["sources"]}
    ruleset = layers["ruleset 'ruleset-11' (Repository acme/svc)"]
    assert ruleset["required_approving_review_count"] == 2
    assert ruleset["required_status_checks"] == ["ci"]
    assert ruleset["bypass_actors"] == ["repository admins (RepositoryRole 5) (always)"]
    assert layers["classic branch protection"]["bypass_actors"] == []


@pytest.mark.parametrize("mode", ["always", "pull_request", "exempt"])
def test_org_admin_bypass_in_any_mode_unbinds_admins_from_reviews(
    fake_github: Any, run_github: Any, mode: str
) -> None:
    world = small_world(
        repos=[
            {
                "name": "svc",
                "rulesets": [
                    {
                        "id": 12,
                        "rules": [*REVIEW_AND_CI, {"type": "non_fast_forward"}],
                        "bypass_actors": [
                            {"actor_id": 1, "actor_type": "OrganizationAdmin", "bypass_mode": mode}
                        ],
                    }
                ],
            }
        ]
    )
    result = run_github(fake_github(world), checks="github.repo.admins-enforced")
    f = _one(result, "github.repo.admins-enforced")
    assert f.status.value == "fail"
    assert "pull_request" in f.message
    # a pull-request-only bypass cannot force-push: that rule still binds admins
    assert ("non_fast_forward" in f.message) == (mode != "pull_request")


def test_ruleset_without_bypass_binds_admins_per_rule(fake_github: Any, run_github: Any) -> None:
    world = small_world(
        repos=[
            {
                "name": "svc",
                "protection": {"required_approving_review_count": 1, "enforce_admins": False},
                "rulesets": [
                    {
                        "id": 13,
                        "rules": [
                            *REVIEW_AND_CI,
                            {"type": "non_fast_forward"},
                            {"type": "deletion"},
                        ],
                    }
                ],
            }
        ]
    )
    result = run_github(fake_github(world), checks="github.repo.*")
    assert verdicts(result, "github.repo.admins-enforced") == {"acme/svc": "pass"}
    assert verdicts(result, "github.repo.required-reviews") == {"acme/svc": "pass"}


def test_bypass_for_non_admins_makes_reviews_and_checks_not_count(
    fake_github: Any, run_github: Any
) -> None:
    """A team that may bypass the only layer requiring reviews merges unreviewed code."""
    team_bypass = {"actor_id": 77, "actor_type": "Team", "bypass_mode": "pull_request"}
    world = small_world(
        repos=[
            {
                "name": "svc",
                "rulesets": [{"id": 14, "rules": REVIEW_AND_CI, "bypass_actors": [team_bypass]}],
            }
        ]
    )
    result = run_github(fake_github(world), checks="github.repo.*")
    reviews = _one(result, "github.repo.required-reviews")
    assert reviews.status.value == "fail"
    assert "Team 77 (pull_request)" in reviews.message and "need 0" in reviews.message
    checks = _one(result, "github.repo.status-checks")
    assert checks.status.value == "fail" and "Team 77" in checks.message
    # a team is not an admin: admins are bound by this ruleset
    assert verdicts(result, "github.repo.admins-enforced") == {"acme/svc": "pass"}


def test_classic_bypass_pull_request_allowances_make_reviews_bypassable(
    fake_github: Any, run_github: Any
) -> None:
    world = small_world(
        repos=[
            {
                "name": "svc",
                "protection": {
                    "required_approving_review_count": 2,
                    "enforce_admins": True,
                    "required_status_checks": ["ci"],
                    "bypass_pull_request_allowances": {
                        "users": ["mallory"],
                        "teams": [],
                        "apps": ["deploy-bot"],
                    },
                },
            },
            {
                "name": "strict",
                "protection": {
                    "required_approving_review_count": 2,
                    "enforce_admins": True,
                    "bypass_pull_request_allowances": {"users": [], "teams": [], "apps": []},
                },
            },
        ]
    )
    result = run_github(fake_github(world), checks="github.repo.*")
    got = {f.resource_id: f for f in findings(result, "github.repo.required-reviews")}
    assert got["acme/strict"].status.value == "pass"
    assert got["acme/svc"].status.value == "fail"
    assert "user mallory" in got["acme/svc"].message
    assert "app deploy-bot" in got["acme/svc"].message
    # the allowances cover the pull request rule only: status checks still bind
    assert verdicts(result, "github.repo.status-checks")["acme/svc"] == "pass"


def test_hidden_bypass_list_is_an_error_not_a_pass(fake_github: Any, run_github: Any) -> None:
    world = small_world(rulesets=[{"id": 15, "rules": REVIEW_AND_CI}], repos=[{"name": "svc"}])
    # no read:org scope: the organization ruleset's details (its bypass list) are refused
    world["tokens"] = {"t": {"login": "owner", "scopes": ["repo"], "org_owner": True}}
    result = run_github(
        fake_github(world),
        checks=[
            "github.repo.required-reviews",
            "github.repo.status-checks",
            "github.repo.admins-enforced",
        ],
    )
    for check_id in (
        "github.repo.required-reviews",
        "github.repo.status-checks",
        "github.repo.admins-enforced",
    ):
        f = _one(result, check_id)
        assert f.status.value == "error", (check_id, f.message)
        assert "bypass list" in f.message


@pytest.mark.parametrize(
    ("classic", "ruleset", "min_approvals", "expected"),
    [
        (1, 3, 3, "pass"),  # the ruleset's 3 wins over classic's 1
        (3, 1, 3, "pass"),  # whichever layer comes first
        (1, 3, 4, "fail"),
        (2, 2, 2, "pass"),
    ],
)
def test_review_count_is_the_highest_binding_layer(
    fake_github: Any,
    run_github: Any,
    tmp_path: Any,
    classic: int,
    ruleset: int,
    min_approvals: int,
    expected: str,
) -> None:
    """Kills the max -> min mutant of the review-count merge: with classic 1 and ruleset
    3, min_approvals=3 passes only if the higher count is taken."""
    import soc2checks

    world = small_world(
        repos=[
            {
                "name": "r",
                "protection": {"required_approving_review_count": classic, "enforce_admins": True},
                "rulesets": [
                    {
                        "id": 4,
                        "rules": [
                            {
                                "type": "pull_request",
                                "parameters": {"required_approving_review_count": ruleset},
                            }
                        ],
                    }
                ],
            }
        ]
    )
    gh = fake_github(world)
    path = tmp_path / "c.toml"
    path.write_text(
        f'[github]\norgs = ["acme"]\nbase_url = "{gh.base_url}"\ntoken = "t"\n'
        f'[params."github.repo.required-reviews"]\nmin_approvals = {min_approvals}\n',
        encoding="utf-8",
    )
    result = soc2checks.run(checks=["github.repo.required-reviews"], config=path)
    f = _one(result, "github.repo.required-reviews")
    assert f.status.value == expected, f.message
    if expected == "fail":
        assert f"need {max(classic, ruleset)} approving" in f.message


def test_codeowners_with_errors_fails(fake_github: Any, run_github: Any) -> None:
    world = small_world(
        repos=[
            {"name": "clean", "codeowners": ".github/CODEOWNERS"},
            {
                "name": "broken",
                "codeowners": ".github/CODEOWNERS",
                "codeowners_errors": [
                    {"line": 1, "kind": "Unknown owner", "message": "Unknown owner on line 1"},
                    {"line": 4, "kind": "Invalid pattern", "message": "Invalid pattern [z-a"},
                ],
            },
        ]
    )
    result = run_github(fake_github(world), checks="github.repo.codeowners")
    got = {f.resource_id: f for f in findings(result, "github.repo.codeowners")}
    assert got["acme/clean"].status.value == "pass"
    broken = got["acme/broken"]
    assert broken.status.value == "fail"
    assert "2 error(s) in .github/CODEOWNERS" in broken.message
    assert ".github/CODEOWNERS:4: Invalid pattern" in broken.message
    assert len(broken.evidence["file_errors"]) == 2


def test_secret_scanning_on_a_plan_without_it_is_an_error(
    fake_github: Any, run_github: Any
) -> None:
    """Like branch protection on GitHub Free, a feature the plan does not offer cannot
    be judged: error with the hint, not fail."""
    off = {
        "secret_scanning": {"status": "disabled"},
        "secret_scanning_push_protection": {"status": "disabled"},
    }
    world = small_world(
        plan="free",
        repos=[
            {"name": "private-app", "private": True, "security_and_analysis": off},
            {"name": "oss", "private": False, "security_and_analysis": off},
        ],
    )
    world["orgs"]["team-co"] = {
        "plan": "team",
        "members": [{"login": "owner", "role": "admin"}],
        "repos": [
            # the plan has no Secret Protection: GitHub lists no secret scanning feature
            {
                "name": "no-feature",
                "private": True,
                "security_and_analysis": {"dependabot_security_updates": {"status": "enabled"}},
            },
            {
                "name": "off",
                "private": True,
                "security_and_analysis": {**off, "advanced_security": {"status": "enabled"}},
            },
        ],
    }
    result = run_github(
        fake_github(world), checks="github.repo.secret-scanning", orgs=["acme", "team-co"]
    )
    got = {f.resource_id: f for f in findings(result, "github.repo.secret-scanning")}
    for repo in ("acme/private-app", "team-co/no-feature"):
        assert got[repo].status.value == "error", repo
        assert "Secret Protection" in got[repo].message and "could not verify" in got[repo].message
    # public repositories get secret scanning on every plan: off is a fail
    assert got["acme/oss"].status.value == "fail"
    # the feature is available but switched off: a fail
    assert got["team-co/off"].status.value == "fail"


@pytest.mark.parametrize(("mode", "expected"), [("always", "fail"), ("pull_request", "pass")])
def test_force_push_block_bypassable_by_a_team_does_not_count(
    fake_github: Any, run_github: Any, mode: str, expected: str
) -> None:
    """A team that may bypass the only layer blocking force pushes can rewrite history;
    a pull-request-only bypass cannot force-push."""
    world = small_world(
        repos=[
            {
                "name": "svc",
                "rulesets": [
                    {
                        "id": 16,
                        "rules": [{"type": "non_fast_forward"}, {"type": "deletion"}],
                        "bypass_actors": [
                            {"actor_id": 8, "actor_type": "Team", "bypass_mode": mode}
                        ],
                    }
                ],
            }
        ]
    )
    result = run_github(fake_github(world), checks="github.repo.no-force-push")
    f = _one(result, "github.repo.no-force-push")
    assert f.status.value == expected, f.message
    if expected == "fail":
        assert "force pushes and deletion" in f.message and "Team 8 (always)" in f.message
