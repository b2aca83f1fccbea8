"""Every github check, end to end: PyGithub against the fake over HTTP, through soc2checks.run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ghtest_helpers import findings, small_world, verdicts

from soc2checks import RunResult
from soc2checks.testing.github import FakeGitHub

EXPECTED_REPOS: dict[str, dict[str, str]] = {
    # repo: default-branch-protected, required-reviews, dismiss-stale-reviews,
    #       status-checks, no-force-push, admins-enforced, codeowners,
    #       dependabot-alerts, secret-scanning
    "api": dict(
        p="pass", r="pass", d="pass", s="pass", f="pass", a="pass", c="pass", v="pass", x="pass"
    ),
    "payments": dict(
        p="pass", r="pass", d="pass", s="pass", f="pass", a="pass", c="pass", v="pass", x="pass"
    ),
    "web": dict(
        p="pass", r="pass", d="fail", s="pass", f="pass", a="fail", c="pass", v="pass", x="fail"
    ),
    "mobile-app": dict(
        p="pass", r="pass", d="fail", s="fail", f="pass", a="fail", c="pass", v="pass", x="fail"
    ),
    "infra-terraform": dict(
        p="pass", r="pass", d="pass", s="pass", f="pass", a="fail", c="fail", v="fail", x="pass"
    ),
    "design-system": dict(
        p="pass", r="pass", d="pass", s="fail", f="pass", a="pass", c="pass", v="pass", x="pass"
    ),
    "docs-site": dict(
        p="fail", r="fail", d="fail", s="fail", f="fail", a="fail", c="fail", v="pass", x="pass"
    ),
    "internal-tools": dict(
        p="fail", r="fail", d="fail", s="fail", f="fail", a="fail", c="pass", v="pass", x="fail"
    ),
    "sandbox": dict(
        p="skip", r="skip", d="skip", s="skip", f="skip", a="skip", c="skip", v="skip", x="skip"
    ),
}
KEYS = {
    "p": "github.repo.default-branch-protected",
    "r": "github.repo.required-reviews",
    "d": "github.repo.dismiss-stale-reviews",
    "s": "github.repo.status-checks",
    "f": "github.repo.no-force-push",
    "a": "github.repo.admins-enforced",
    "c": "github.repo.codeowners",
    "v": "github.repo.dependabot-alerts",
    "x": "github.repo.secret-scanning",
}


@pytest.fixture(scope="module")
def demo_result() -> Any:
    import tempfile
    from pathlib import Path

    import soc2checks
    from soc2checks.testing.github import FakeGitHub, demo_world

    with FakeGitHub(demo_world()) as gh, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "soc2checks.toml"
        path.write_text(
            f'[github]\norgs = ["acme"]\nbase_url = "{gh.base_url}"\ntoken = "t"\n',
            encoding="utf-8",
        )
        result = soc2checks.run(checks=["github.*"], providers=["github"], config=path)
        return result, dict(gh.requests)


@pytest.mark.parametrize("repo", sorted(EXPECTED_REPOS))
def test_repo_checks_on_demo_world(demo_result: Any, repo: str) -> None:
    result, _ = demo_result
    for key, check_id in KEYS.items():
        got = verdicts(result, check_id).get(f"acme/{repo}")
        assert got == EXPECTED_REPOS[repo][key], (check_id, repo, got)


def test_archived_repos_are_not_judged(demo_result: Any) -> None:
    result, _ = demo_result
    assert not [f for f in result.findings if f.resource_id == "acme/legacy-monolith"]


def test_org_checks_on_demo_world(demo_result: Any) -> None:
    result, _ = demo_result
    assert verdicts(result, "github.org.2fa-required") == {"acme": "fail"}
    assert verdicts(result, "github.org.default-permission") == {"acme": "fail"}
    [admins] = findings(result, "github.org.admin-count")
    assert admins.status.value == "fail"
    assert "4 owners (limit 3)" in admins.message and "dave-founder" in admins.message
    members = verdicts(result, "github.org.members-2fa")
    assert members["acme/dave-founder"] == "fail"
    assert members["acme/grace-dev"] == "fail"
    assert members["acme/alice-cto"] == "pass"
    assert members["acme/acme-release-bot"] == "skip"
    outside = verdicts(result, "github.org.outside-collaborators-admin")
    assert outside == {"acme/contractor-dana": "fail", "acme/pentest-oscar": "pass"}


def test_findings_carry_controls_criteria_and_remediation(demo_result: Any) -> None:
    result, _ = demo_result
    [f] = [
        f
        for f in findings(result, "github.repo.required-reviews")
        if f.resource_id == "acme/docs-site"
    ]
    assert f.control_id == "branch-protection" and "CC8.1" in f.criteria
    assert f.provider == "github" and f.scope == {"org": "acme"}
    assert "approv" in f.remediation.lower()
    [mfa] = findings(result, "github.org.2fa-required")
    assert mfa.control_id == "mfa-enforced" and "CC6.1" in mfa.criteria
    # the judged value, read inside GithubOrgSettings.owner_field, is in the evidence
    assert mfa.evidence == {"login": "acme", "two_factor_requirement_enabled": False}
    assert {f.check_id for f in result.findings} == {
        *KEYS.values(),
        *(
            "github.org.2fa-required",
            "github.org.members-2fa",
            "github.org.admin-count",
            "github.org.default-permission",
            "github.org.outside-collaborators-admin",
            "github.change.reviewed",
            "github.change.checks-passed",
            "github.change.no-direct-push",
            "github.change.no-bypass",
        ),
    }


def test_one_request_per_repo_per_attribute(demo_result: Any) -> None:
    _, requests = demo_result
    judged = 11  # 12 non-archived repositories, one of them empty
    assert requests["GET /repos/{owner}/{repo}/branches/{branch}/protection"] == judged
    assert requests["GET /repos/{owner}/{repo}/rules/branches/{branch}"] == judged
    assert requests["GET /repos/{owner}/{repo}/codeowners/errors"] == judged
    assert requests["GET /repos/{owner}/{repo}/vulnerability-alerts"] == judged
    assert requests["GET /repos/{owner}/{repo}/collaborators"] == judged
    assert requests["GET /orgs/{org}/repos"] == 1
    assert requests["GET /orgs/{org}"] == 1
    # org ruleset 9001 applies to two repositories but is read once
    assert requests["GET /orgs/{org}/rulesets/{ruleset_id}"] == 1


def test_rulesets_only_protection_passes(fake_github: Any, run_github: Any) -> None:
    world = small_world(
        rulesets=[
            {
                "id": 7,
                "name": "org-main",
                "repos": ["svc-*"],
                "rules": [
                    {
                        "type": "pull_request",
                        "parameters": {
                            "required_approving_review_count": 2,
                            "dismiss_stale_reviews_on_push": True,
                        },
                    },
                    {
                        "type": "required_status_checks",
                        "parameters": {"required_status_checks": [{"context": "ci"}]},
                    },
                    {"type": "non_fast_forward"},
                    {"type": "deletion"},
                ],
            }
        ],
        repos=[{"name": "svc-a"}, {"name": "other"}],
    )
    result = run_github(fake_github(world), checks="github.repo.*")
    for check_id in list(KEYS.values())[:6]:
        got = verdicts(result, check_id)
        assert got["acme/svc-a"] == "pass", check_id
        assert got["acme/other"] == "fail", check_id


def test_classic_and_ruleset_merge_most_restrictive(fake_github: Any, run_github: Any) -> None:
    world = small_world(
        repos=[
            {
                "name": "mixed",
                "protection": {
                    "required_approving_review_count": 1,
                    "enforce_admins": False,
                    "allow_force_pushes": True,
                    "allow_deletions": False,
                },
                "rulesets": [
                    {
                        "id": 3,
                        "rules": [
                            {
                                "type": "pull_request",
                                "parameters": {"required_approving_review_count": 3},
                            },
                            {"type": "non_fast_forward"},
                        ],
                    }
                ],
            }
        ]
    )
    gh = fake_github(world)
    result = run_github(gh, checks="github.repo.*")
    assert verdicts(result, "github.repo.no-force-push") == {"acme/mixed": "pass"}
    # the ruleset binds admins to reviews and force pushes, but deletion is blocked only
    # by classic protection, which admins bypass (enforce_admins off)
    [admins] = findings(result, "github.repo.admins-enforced")
    assert admins.status.value == "fail"
    assert "deletion (only in classic branch protection" in admins.message
    assert "pull_request" not in admins.message
    evidence = findings(result, "github.repo.required-reviews")[0]
    assert evidence.status.value == "pass"


def test_min_approvals_tunable(fake_github: Any, run_github: Any, tmp_path: Any) -> None:
    import soc2checks

    world = small_world(repos=[{"name": "r", "protection": {"required_approving_review_count": 1}}])
    gh = fake_github(world)
    path = tmp_path / "strict.toml"
    path.write_text(
        f'[github]\norgs = ["acme"]\nbase_url = "{gh.base_url}"\ntoken = "t"\n'
        '[params."github.repo.required-reviews"]\nmin_approvals = 2\n'
        '[params."github.org.admin-count"]\nmax_owners = 0\n',
        encoding="utf-8",
    )
    result = soc2checks.run(
        checks=["github.repo.required-reviews", "github.org.admin-count"], config=path
    )
    assert verdicts(result, "github.repo.required-reviews") == {"acme/r": "fail"}
    assert "fewer than 2" in findings(result, "github.repo.required-reviews")[0].message
    assert verdicts(result, "github.org.admin-count") == {"acme": "fail"}


def test_org_checks_pass(fake_github: Any, run_github: Any) -> None:
    world = small_world(
        members=[{"login": "o1", "role": "admin"}, {"login": "m1"}],
        outside_collaborators=[{"login": "idle-vendor"}],
        repos=[{"name": "r", "collaborators": [{"login": "v", "permission": "write"}]}],
    )
    result = run_github(fake_github(world), checks="github.org.*")
    assert verdicts(result, "github.org.2fa-required") == {"acme": "pass"}
    assert verdicts(result, "github.org.default-permission") == {"acme": "pass"}
    assert verdicts(result, "github.org.admin-count") == {"acme": "pass"}
    assert verdicts(result, "github.org.members-2fa") == {"acme/o1": "pass", "acme/m1": "pass"}
    assert verdicts(result, "github.org.outside-collaborators-admin") == {
        "acme/v": "pass",
        "acme/idle-vendor": "skip",
    }


def test_include_and_exclude_globs(fake_github: Any, run_github: Any) -> None:
    world = small_world(repos=[{"name": n} for n in ("svc-a", "svc-b", "tool-x", "svc-old")])
    gh = fake_github(world)
    result = run_github(
        gh, checks="github.repo.codeowners", include_repos=["svc-*"], exclude_repos=["*-old"]
    )
    assert set(verdicts(result, "github.repo.codeowners")) == {"acme/svc-a", "acme/svc-b"}
    assert gh.requests["GET /repos/{owner}/{repo}/codeowners/errors"] == 2


def test_same_org_gives_byte_identical_findings_json(
    demo: dict[str, Any],
    fake_github: Callable[..., FakeGitHub],
    run_github: Callable[..., RunResult],
) -> None:
    """Two runs over one unchanged org: the findings document differs only in ``run``."""
    import json

    from soc2checks.reporters import BUILTIN_REPORTERS

    gh = fake_github(demo)

    def document() -> str:
        doc = json.loads(BUILTIN_REPORTERS["json"](run_github(gh)))
        doc.pop("run")
        return json.dumps(doc, sort_keys=True)

    assert document() == document()
