"""Provider plumbing: auth, retries, permissions, settings, import hygiene, the demo world."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from ghtest_helpers import small_world, verdicts
from pydantic import ValidationError

from soc2checks.testing.github import DEMO_WORLD, FakeGitHub, load_world
from soc2checks_github import PROVIDER, GithubSettings
from soc2checks_github.client import GithubClient, GithubRateLimitError, WaitBudget


def test_github_app_installation_auth(fake_github: Any, run_github: Any, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    key_path = tmp_path / "app.pem"
    key_path.write_bytes(pem)
    world = small_world(repos=[{"name": "r", "codeowners": "CODEOWNERS"}])
    world["tokens"] = {"unused": {"scopes": []}}  # only the App's token is accepted
    world["app_installations"] = [77]
    gh = fake_github(world)
    result = run_github(
        gh,
        checks=["github.repo.codeowners", "github.org.2fa-required"],
        token="",
        app_id=12345,
        installation_id=77,
        private_key_path=str(key_path),
    )
    assert verdicts(result, "github.repo.codeowners") == {"acme/r": "pass"}
    assert verdicts(result, "github.org.2fa-required") == {"acme": "pass"}
    assert gh.requests["POST /app/installations/{installation_id}/access_tokens"] == 1


def test_app_settings_must_be_complete() -> None:
    with pytest.raises(ValidationError, match="app_id, installation_id and private_key_path"):
        GithubSettings(app_id=1)
    assert GithubSettings(base_url="https://ghe.example.com/api/v3/").base_url.endswith("/v3")


def test_server_errors_are_retried(fake_github: Any, run_github: Any) -> None:
    gh = fake_github(small_world())
    gh.server_errors(times=2, status=502)
    result = run_github(gh, checks="github.org.default-permission")
    assert verdicts(result, "github.org.default-permission") == {"acme": "pass"}
    assert gh.requests["GET /orgs/{org}"] == 3


def test_persistent_server_errors_become_error_findings(fake_github: Any, run_github: Any) -> None:
    gh = fake_github(small_world())
    gh.server_errors(times=50, status=503)
    result = run_github(gh, checks="github.org.default-permission")
    [f] = result.findings
    assert f.status.value == "error"
    assert "GitHub server error 503 on GET /orgs/acme" in f.message
    assert "after 3 retries" in f.message
    # a server error is not an access problem: no token, scope or role is blamed
    assert "owner" not in f.message and "token" not in f.message and "needs" not in f.message
    assert "GithubServerError" in f.message
    assert gh.requests["GET /orgs/{org}"] == 4  # the first try and three retries


def test_wait_budget_counts_concurrent_waits_once() -> None:
    budget = WaitBudget(10)
    budget.reserve(6, "a")
    budget.reserve(6, "b")  # overlaps the first wait: ~0 s more
    assert budget.spent < 6.5
    with pytest.raises(GithubRateLimitError, match="max_wait_seconds=10"):
        budget.reserve(20, "c")


def test_no_pygithub_sleeps_between_requests(fake_github: Any) -> None:
    gh = fake_github(small_world())
    client = GithubClient(GithubSettings(base_url=gh.base_url), token="t")
    start = time.monotonic()
    for _ in range(20):
        client.get("/orgs/acme", needs="x")
    assert time.monotonic() - start < 2.0  # PyGithub's default would sleep 0.25 s each


def test_render_permissions_lists_scopes_and_fine_grained() -> None:
    from soc2checks_github import resources

    perms: list[str] = []
    for name in ("github_org_settings", "github_branch_rules", "github_codeowners"):
        perms += list(getattr(resources, name).__soc2checks_resource__.permissions)
    text = PROVIDER.render_permissions(perms)
    assert "Classic personal access token scopes:\n  read:org\n  repo" in text
    assert "Repository administration: read" in text
    assert "organization owner" in text


def test_permissions_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "soc2checks.cli", "permissions", "github"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    if proc.returncode != 0 and "No module named soc2checks.cli.__main__" in proc.stderr:
        pytest.skip("the CLI has no module entry point")
    assert proc.returncode == 0, proc.stderr
    assert "read:org" in proc.stdout and "repo" in proc.stdout


def test_import_makes_no_client_and_no_sdk_import() -> None:
    code = (
        "import sys, soc2checks_github, soc2checks_github.resources, soc2checks_controls;"
        "import soc2checks_controls.branch_protection;"
        "print('github' in sys.modules, 'urllib3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_no_orgs_configured(tmp_path: Path) -> None:
    import soc2checks

    path = tmp_path / "soc2checks.toml"
    path.write_text('[github]\ntoken = "t"\n', encoding="utf-8")
    result = soc2checks.run(checks=["github.org.2fa-required"], config=path)
    assert result.findings and result.findings[0].status.value == "error"
    assert "[github] orgs" in result.findings[0].message


def test_demo_world_is_shipped_and_served() -> None:
    world = load_world(DEMO_WORLD)
    assert len(world["orgs"]["acme"]["repos"]) >= 12
    with FakeGitHub(world) as gh:
        assert gh.base_url.startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError):
        _ = gh.base_url
