"""Every gcp check's pass, fail, skip and error paths on the demo organization."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.gcp.conftest import verdicts

from soc2checks import RunResult
from soc2checks.testing.gcp import FakeGcp


@pytest.fixture
def demo_run(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> RunResult:
    fake = fake_gcp(demo)
    params = {"gcp.iam.external-members": {"allowed_domains": ["example.com"]}}
    return run_gcp(fake, params=params)


def test_no_primitive_roles(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "gcp.iam.no-primitive-roles")
    assert v["projects/shop-prod/members/group:engineers@example.com"] == "pass"
    # a conditional owner grant is still a basic role
    assert v["projects/shop-prod/members/group:break-glass@example.com"] == "fail"
    assert v["projects/shop-dev/members/user:dev@example.com"] == "fail"
    assert v["projects/sandbox-alice/members/user:alice@example.com"] == "fail"
    # service accounts are judged by sa-not-admin; public principals by no-public-bindings
    assert (
        v["projects/shop-dev/members/serviceAccount:ci@shop-dev.iam.gserviceaccount.com"] == "skip"
    )
    assert v["projects/shop-dev/members/allAuthenticatedUsers"] == "skip"


def test_no_public_bindings(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "gcp.iam.no-public-bindings")
    assert v == {
        "projects/shop-prod": "pass",
        "projects/shop-dev": "fail",
        "projects/sandbox-alice": "pass",
    }
    msg = next(
        f.message
        for f in demo_run.findings
        if f.check_id == "gcp.iam.no-public-bindings" and f.status.value == "fail"
    )
    assert "allAuthenticatedUsers → roles/viewer" in msg


def test_external_members(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "gcp.iam.external-members")
    assert v["projects/shop-dev/members/user:contractor@gmail.com"] == "fail"
    assert v["projects/shop-dev/members/user:dev@example.com"] == "pass"


def test_external_members_skips_without_allowed_domains(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    result = run_gcp(fake_gcp(demo), checks="gcp.iam.external-members")
    assert {f.status.value for f in result.findings} == {"skip"}


def test_service_account_checks(demo_run: RunResult) -> None:
    keys = verdicts(demo_run, "gcp.iam.sa-no-user-keys")
    assert (
        keys["projects/shop-prod/serviceAccounts/web@shop-prod.iam.gserviceaccount.com"] == "pass"
    )
    assert keys["projects/shop-dev/serviceAccounts/ci@shop-dev.iam.gserviceaccount.com"] == "fail"
    admin = verdicts(demo_run, "gcp.iam.sa-not-admin")
    assert (
        admin["projects/shop-prod/serviceAccounts/web@shop-prod.iam.gserviceaccount.com"] == "pass"
    )
    assert admin["projects/shop-dev/serviceAccounts/ci@shop-dev.iam.gserviceaccount.com"] == "fail"


def test_audit_logs(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "gcp.logging.audit-logs")
    assert v == {
        "projects/shop-prod": "pass",
        "projects/shop-dev": "fail",
        "projects/sandbox-alice": "pass",
    }
    msg = next(
        f.message
        for f in demo_run.findings
        if f.check_id == "gcp.logging.audit-logs" and f.status.value == "fail"
    )
    # DATA_READ is inherited from the organization; the project's exemption still counts
    assert "lack" not in msg and "exempted members user:dev@example.com" in msg


def test_log_sink(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "gcp.logging.sink")
    # shop-dev's only sink filters to errors; _Required does not count
    assert v == {
        "projects/shop-prod": "pass",
        "projects/shop-dev": "fail",
        "projects/sandbox-alice": "pass",
    }


def test_storage_checks(demo_run: RunResult) -> None:
    assert verdicts(demo_run, "gcp.storage.public-access-prevention") == {
        "projects/_/buckets/shop-prod-assets": "pass",
        "projects/_/buckets/shop-prod-backups": "pass",
        "projects/_/buckets/shop-dev-public": "fail",
    }
    assert (
        verdicts(demo_run, "gcp.storage.uniform-access")["projects/_/buckets/shop-dev-public"]
        == "fail"
    )
    assert verdicts(demo_run, "gcp.storage.not-public") == {
        "projects/_/buckets/shop-prod-assets": "pass",
        "projects/_/buckets/shop-prod-backups": "pass",
        "projects/_/buckets/shop-dev-public": "fail",
    }
    # versioning or a retention policy
    assert verdicts(demo_run, "gcp.storage.versioning") == {
        "projects/_/buckets/shop-prod-assets": "pass",
        "projects/_/buckets/shop-prod-backups": "pass",
        "projects/_/buckets/shop-dev-public": "fail",
    }


def test_kms_rotation(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "gcp.kms.key-rotation")
    assert v["projects/shop-prod/locations/us/keyRings/shop/cryptoKeys/orders-db"] == "pass"
    assert v["projects/shop-prod/locations/us/keyRings/shop/cryptoKeys/signing"] == "skip"
    assert v["projects/shop-dev/locations/global/keyRings/dev/cryptoKeys/dev-data"] == "fail"
    # the KMS API is disabled in the sandbox: nothing to judge there
    assert v["projects/sandbox-alice"] == "skip"


def test_firewall_admin_ports(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "gcp.compute.firewall-admin-ports")
    assert v["projects/shop-prod/global/firewalls/allow-https"] == "pass"
    assert v["projects/shop-prod/global/firewalls/allow-iap-ssh"] == "pass"
    assert v["projects/shop-dev/global/firewalls/allow-ssh-anywhere"] == "fail"
    assert v["projects/shop-dev/global/firewalls/old-rdp"] == "skip"
    msg = next(f.message for f in demo_run.findings if f.resource_id.endswith("allow-ssh-anywhere"))
    assert "SSH (22)" in msg and "RDP (3389)" in msg


def test_os_login(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "gcp.compute.os-login")
    assert v == {
        "projects/shop-prod": "pass",
        "projects/shop-dev": "fail",
        "projects/sandbox-alice": "skip",
    }


def test_sql_checks(demo_run: RunResult) -> None:
    assert verdicts(demo_run, "gcp.sql.no-public-ip") == {
        "projects/shop-prod/instances/orders": "pass",
        "projects/shop-prod/instances/orders-replica": "pass",
        "projects/shop-dev/instances/scratch": "fail",
        "projects/sandbox-alice": "skip",
    }
    assert verdicts(demo_run, "gcp.sql.backups") == {
        "projects/shop-prod/instances/orders": "pass",
        "projects/shop-prod/instances/orders-replica": "skip",
        "projects/shop-dev/instances/scratch": "fail",
        "projects/sandbox-alice": "skip",
    }
    assert (
        verdicts(demo_run, "gcp.sql.require-ssl")["projects/shop-dev/instances/scratch"] == "fail"
    )
    assert (
        verdicts(demo_run, "gcp.sql.require-ssl")["projects/shop-prod/instances/orders"] == "pass"
    )


def test_no_errors_and_deleted_project_not_in_scope(demo_run: RunResult) -> None:
    assert [f for f in demo_run.findings if f.status.value == "error"] == []
    assert not any(f.scope.get("project") == "old-shop" for f in demo_run.findings)


@pytest.mark.parametrize(
    ("check_id", "permission"),
    [
        ("gcp.iam.no-primitive-roles", "resourcemanager.projects.getIamPolicy"),
        ("gcp.iam.sa-no-user-keys", "iam.serviceAccounts.list"),
        ("gcp.logging.sink", "logging.sinks.list"),
        ("gcp.storage.uniform-access", "storage.buckets.list"),
        ("gcp.kms.key-rotation", "cloudkms.keyRings.list"),
        ("gcp.compute.firewall-admin-ports", "compute.firewalls.list"),
        ("gcp.compute.os-login", "compute.projects.get"),
        ("gcp.sql.backups", "cloudsql.instances.list"),
    ],
)
def test_permission_denied_is_an_error_for_that_project_only(
    demo: dict[str, Any],
    fake_gcp: Callable[..., FakeGcp],
    run_gcp: Callable[..., RunResult],
    check_id: str,
    permission: str,
) -> None:
    fake = fake_gcp(demo)
    fake.deny(permission, "shop-prod")
    result = run_gcp(fake, checks=check_id)
    prod = [f for f in result.findings if f.scope.get("project") == "shop-prod"]
    assert len(prod) == 1 and prod[0].status.value == "error"
    assert permission in prod[0].message
    others = [f for f in result.findings if f.scope.get("project") != "shop-prod"]
    assert others and all(f.status.value != "error" for f in others)


def test_bucket_iam_denied_is_an_error_per_bucket(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    fake = fake_gcp(demo)
    fake.deny("storage.buckets.getIamPolicy", "shop-dev")
    v = verdicts(run_gcp(fake, checks="gcp.storage.not-public"), "gcp.storage.not-public")
    assert v["projects/_/buckets/shop-dev-public"] == "error"
    assert v["projects/_/buckets/shop-prod-assets"] == "pass"


@pytest.mark.parametrize(
    ("check_id", "field"),
    [
        ("gcp.storage.public-access-prevention", "publicAccessPrevention"),
        ("gcp.storage.uniform-access", "uniformBucketLevelAccess"),
    ],
)
def test_a_field_left_out_is_an_error_not_a_pass(
    demo: dict[str, Any],
    fake_gcp: Callable[..., FakeGcp],
    run_gcp: Callable[..., RunResult],
    check_id: str,
    field: str,
) -> None:
    demo["projects"][0]["buckets"][0]["omit"] = [field]
    v = verdicts(run_gcp(fake_gcp(demo), checks=check_id), check_id)
    assert v["projects/_/buckets/shop-prod-assets"] == "error"


def test_sql_without_ip_configuration_is_an_error(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    from soc2checks_gcp.sql import parse_instance

    inst = parse_instance("p", {"name": "db", "settings": {}})
    assert inst.ipv4_enabled is None and inst.backups_enabled is None
    from soc2checks_controls.public_exposure import gcp_sql_no_public_ip

    with pytest.raises(LookupError):
        gcp_sql_no_public_ip(inst)


def test_audit_logs_inherited_config_counts_and_missing_everywhere_fails(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    demo["organization"]["iam"]["auditConfigs"][0]["auditLogConfigs"] = [{"logType": "ADMIN_READ"}]
    fake = fake_gcp(demo)
    v = verdicts(run_gcp(fake, checks="gcp.logging.audit-logs"), "gcp.logging.audit-logs")
    assert v == {
        "projects/shop-prod": "fail",
        "projects/shop-dev": "fail",
        "projects/sandbox-alice": "fail",
    }
    # the organization's and each folder's policy are read once per run
    assert fake.requests["POST /v3/organizations/{organization}:getIamPolicy"] == 1
    assert fake.requests["POST /v3/folders/{folder}:getIamPolicy"] == 3


def test_audit_logs_cannot_read_the_organization_policy_is_an_error(
    demo: dict[str, Any], fake_gcp: Callable[..., FakeGcp], run_gcp: Callable[..., RunResult]
) -> None:
    fake = fake_gcp(demo)
    fake.deny("resourcemanager.organizations.getIamPolicy")
    result = run_gcp(fake, checks="gcp.logging.audit-logs")
    assert {f.status.value for f in result.findings} == {"error"}
    assert "resourcemanager.organizations.getIamPolicy" in result.findings[0].message
