"""A mistyped repository filter is not a green gate: the repo checks judged nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from soc2checks import RunResult
from soc2checks.cli import gate_exit_code
from soc2checks.testing.github import FakeGitHub

REPO_LEVEL = ("github.repo.", "github.change.")  # checks of what each repository holds


def test_include_repos_typo_makes_the_repo_checks_idle(
    fake_github: Callable[..., FakeGitHub],
    demo: dict[str, Any],
    run_github: Callable[..., RunResult],
) -> None:
    gh = fake_github(demo)
    good = run_github(gh, checks="github.*")
    assert good.idle_checks == []
    repo_checks = sorted({f.check_id for f in good.findings if f.check_id.startswith(REPO_LEVEL)})
    assert repo_checks

    typo = run_github(gh, checks="github.*", include_repos=["acme-*"])
    assert not any(f.check_id.startswith(REPO_LEVEL) for f in typo.findings)
    assert any(f.check_id.startswith("github.org.") for f in typo.findings)  # still judged
    idle = {i.check_id: i for i in typo.idle_checks}
    assert sorted(idle) == repo_checks
    for i in idle.values():
        assert i.reason == "filtered" and i.provider == "github"
        assert "'github_repos' listed" in i.message
        assert "(include_repos, exclude_repos) filtered out all of them" in i.message
    only_repos = run_github(
        gh, checks=["github.repo.*", "github.change.*"], include_repos=["acme-*"]
    )
    assert only_repos.findings == [] and len(only_repos.idle_checks) == len(repo_checks)
    assert gate_exit_code(only_repos, "fail", False) == 3  # was 0: a green gate
