"""The gcp provider: scope enumeration, failures, retries, request counts, permissions."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from soc2checks import ConfigError, RunResult
from soc2checks.testing.gcp import FakeGcp


def _projects(result: RunResult) -> set[str]:
    return {f.scope["project"] for f in result.findings if "project" in f.scope}


def test_folders_are_walked_breadth_first_across_pages(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    demo["page_size"] = 1  # every list answers one item a page
    fake = fake_gcp(demo)
    result = run_gcp(fake, checks="gcp.iam.no-public-bindings")
    assert _projects(result) == {"shop-prod", "shop-dev", "sandbox-alice"}
    facts = result.run.facts["gcp"]
    assert facts["projects"] == ["sandbox-alice", "shop-dev", "shop-prod"]
    assert facts["projects_count"] == 3
    assert facts["folder_paths"]["sandbox-alice"] == "development/sandboxes"
    assert facts["organization"] == "123456789012"
    # folders.list per parent and page: the org (2 folders, 2 pages), development (1),
    # and one empty page each for production and sandboxes
    assert fake.requests["GET /v3/folders"] == 5
    # projects.list: org (none: 1), production (shop-prod; old-shop is not listed: 1),
    # development (shop-dev: 1), sandboxes (sandbox-alice: 1)
    assert fake.requests["GET /v3/projects"] == 4


def test_excluded_projects_are_left_out_and_recorded(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    result = run_gcp(
        fake_gcp(demo), checks="gcp.iam.no-public-bindings", exclude_projects=["shop-dev"]
    )
    assert _projects(result) == {"shop-prod", "sandbox-alice"}
    assert result.run.facts["gcp"]["excluded_projects"] == ["shop-dev"]


def test_listed_projects_mode(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    fake = fake_gcp(demo)
    result = run_gcp(
        fake,
        checks="gcp.iam.no-public-bindings",
        organization=None,
        projects=["shop-dev", "old-shop"],
    )
    assert _projects(result) == {"shop-dev"}  # old-shop is DELETE_REQUESTED
    assert fake.requests["GET /v3/folders"] == 0
    assert result.run.facts["gcp"]["folder_paths"] == {"shop-dev": "development"}


def test_listed_projects_walk_up_to_their_organization(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    fake = fake_gcp(demo)
    result = run_gcp(
        fake, checks="gcp.logging.audit-logs", organization=None, projects=["sandbox-alice"]
    )
    assert [f.status.value for f in result.findings] == ["pass"]  # inherited from the org
    assert result.run.facts["gcp"]["folder_paths"] == {"sandbox-alice": "development/sandboxes"}


def test_an_organization_that_cannot_be_listed_is_one_error_per_check(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    fake = fake_gcp(demo)
    fake.deny("resourcemanager.folders.list")
    result = run_gcp(fake, checks=["gcp.iam.no-public-bindings", "gcp.storage.versioning"])
    assert [(f.check_id, f.status.value) for f in result.findings] == [
        ("gcp.iam.no-public-bindings", "error"),
        ("gcp.storage.versioning", "error"),
    ]
    assert all("resourcemanager.folders.list" in f.message for f in result.findings)
    # nothing was reported as checked: no project-level call was made
    assert fake.requests["POST /v3/projects/{project}:getIamPolicy"] == 0


def test_disabled_api_is_an_error_where_the_service_must_exist(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    demo["projects"][2]["disabled_services"].append("iam.googleapis.com")
    result = run_gcp(fake_gcp(demo), checks="gcp.iam.sa-no-user-keys")
    sandbox = [f for f in result.findings if f.scope["project"] == "sandbox-alice"]
    assert [f.status.value for f in sandbox] == ["error"]
    assert "iam.googleapis.com is disabled" in sandbox[0].message
    assert "gcloud services enable iam.googleapis.com" in sandbox[0].message


def test_throttling_is_retried(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    fake = fake_gcp(demo)
    fake.throttle(3)
    result = run_gcp(fake, checks="gcp.iam.no-public-bindings", max_workers=1)
    assert {f.status.value for f in result.findings} <= {"pass", "fail"}
    assert len(result.findings) == 3


def test_persistent_throttling_is_an_error_not_a_pass(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    fake = fake_gcp(demo)
    fake.throttle(1000)
    result = run_gcp(fake, checks="gcp.iam.no-public-bindings", max_attempts=2)
    assert [f.status.value for f in result.findings] == ["error"]
    assert "429" in result.findings[0].message


def test_requests_are_the_minimum(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    fake = fake_gcp(demo)
    run_gcp(fake)
    r = fake.requests
    assert (
        r["POST /v3/projects/{project}:getIamPolicy"] == 3
    )  # once per project, shared by 6 checks
    assert r["GET /storage/v1/b"] == 3  # once per project, shared by 4 checks
    assert r["GET /storage/v1/b/{bucket}/iam"] == 3  # once per bucket
    assert r["GET /v1/projects/{project}/serviceAccounts"] == 3
    assert r["GET /v1/projects/{project}/serviceAccounts/{account}/keys"] == 2  # per account
    assert r["GET /compute/v1/projects/{project}/global/firewalls"] == 3
    assert r["GET /compute/v1/projects/{project}"] == 3
    assert r["GET /sql/v1beta4/projects/{project}/instances"] == 3
    assert r["GET /v2/projects/{project}/sinks"] == 3
    assert "GET (unrouted)" not in r, fake.unrouted


def test_permissions_prints_a_custom_role(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "soc2checks.cli", "permissions", "gcp"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "includedPermissions:" in out.stdout
    for perm in (
        "resourcemanager.folders.list",
        "resourcemanager.projects.getIamPolicy",
        "storage.buckets.getIamPolicy",
        "cloudsql.instances.list",
        "cloudkms.cryptoKeys.list",
    ):
        assert f"- {perm}\n" in out.stdout
    import yaml

    role = yaml.safe_load(out.stdout)
    assert role["stage"] == "GA" and role["includedPermissions"] == sorted(
        role["includedPermissions"]
    )


def test_least_privilege_role_is_enough(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    """The fake grants exactly the permissions the fixtures declare: no check errors."""
    out = subprocess.run(
        [sys.executable, "-m", "soc2checks.cli", "permissions", "gcp"],
        capture_output=True,
        text=True,
        check=True,
    )
    import yaml

    demo["granted"] = yaml.safe_load(out.stdout)["includedPermissions"]
    result = run_gcp(fake_gcp(demo))
    assert [f for f in result.findings if f.status.value == "error"] == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"anonymous": True, "endpoint": None}, "only allowed together with endpoint"),
        ({"projects": ["shop-prod"]}, "not both"),
        ({"organization": "acme"}, "numeric organization ID"),
        ({"inventory": "x"}, "inventory"),
    ],
)
def test_bad_settings_are_config_errors(
    demo: dict[str, Any],
    fake_gcp: Callable[..., FakeGcp],
    run_gcp: Callable[..., RunResult],
    table: dict[str, Any],
    message: str,
) -> None:
    with pytest.raises(ConfigError, match=message):
        run_gcp(fake_gcp(demo), **table)


def test_asset_inventory_finds_the_same_projects_as_the_folder_walk(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    demo["page_size"] = 2  # the inventory answers several pages
    demo["folders"].append(
        {"id": "200000000099", "display_name": "gone", "state": "DELETE_REQUESTED"}
    )
    demo["projects"].append({"project_id": "in-gone-folder", "parent": "folders/200000000099"})
    walked = run_gcp(fake_gcp(demo), checks="gcp.iam.no-public-bindings")
    fake = fake_gcp(demo)
    listed = run_gcp(fake, checks="gcp.iam.no-public-bindings", use_asset_inventory=True)
    walk, inv = walked.run.facts["gcp"], listed.run.facts["gcp"]
    assert inv["projects"] == walk["projects"] == ["sandbox-alice", "shop-dev", "shop-prod"]
    assert inv["folder_paths"] == walk["folder_paths"]
    assert inv["enumeration"] == "cloudasset.assets.list"
    assert _projects(listed) == _projects(walked)
    # no folder or project listing: the inventory alone, 9 assets (4 folders, 5 projects
    # with old-shop) in pages of 2
    assert fake.requests["GET /v3/folders"] == fake.requests["GET /v3/projects"] == 0
    assert fake.requests["GET /v1/organizations/{organization}/assets"] == 5


@pytest.mark.parametrize("failure", ["denied", "disabled"])
def test_asset_inventory_that_cannot_list_is_one_error_per_check(
    failure: str,
    demo: dict[str, Any],
    fake_gcp: Callable[..., FakeGcp],
    run_gcp: Callable[..., RunResult],
) -> None:
    if failure == "disabled":
        demo["organization"]["disabled_services"] = ["cloudasset.googleapis.com"]
    fake = fake_gcp(demo)
    if failure == "denied":
        fake.deny("cloudasset.assets.listResource")
    result = run_gcp(
        fake,
        checks=["gcp.iam.no-public-bindings", "gcp.storage.versioning"],
        use_asset_inventory=True,
    )
    assert [(f.check_id, f.status.value) for f in result.findings] == [
        ("gcp.iam.no-public-bindings", "error"),
        ("gcp.storage.versioning", "error"),
    ]
    for f in result.findings:
        assert "cloudasset.googleapis.com" in f.message
        if failure == "denied":
            assert "cloudasset.assets.listResource" in f.message
        else:
            assert "gcloud services enable cloudasset.googleapis.com" in f.message
    # never a fall back: no folder walk, no project-level call
    assert fake.requests["GET /v3/folders"] == fake.requests["GET /v3/projects"] == 0
    assert fake.requests["POST /v3/projects/{project}:getIamPolicy"] == 0


def test_asset_inventory_needs_an_organization(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    with pytest.raises(ConfigError, match="use_asset_inventory = true needs organization"):
        run_gcp(
            fake_gcp(demo),
            checks="gcp.iam.no-public-bindings",
            organization=None,
            projects=["shop-dev"],
            use_asset_inventory=True,
        )
