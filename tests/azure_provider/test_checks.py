"""Every azure check's pass, fail, skip and error paths on the demo tenant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from soc2checks import RunResult
from soc2checks.testing.azure import FakeAzure


@pytest.fixture
def demo_run(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> RunResult:
    return run_azure(fake_azure(demo))


def verdicts(result: RunResult, check_id: str) -> dict[str, str]:
    """A readable key per finding (user, subscription name or resource name) -> status."""
    subs = {s: n for n, s in _sub_names(result).items()}
    subs.update(_user_names())
    out: dict[str, str] = {}
    for f in result.findings:
        if f.check_id != check_id:
            continue
        tail = f.resource_id.rstrip("/").split("/")[-1]
        key = subs.get(tail, tail)
        if f.resource_id.endswith("/blobServices/default"):
            key = f.resource_id.split("/")[-3]
        out[str(key)] = f.status.value
    return out


def _user_names() -> dict[str, str]:
    from soc2checks.testing.azure import demo_world, normalize

    return {u["id"]: u["upn"] for u in normalize(demo_world())["users"]}


def _sub_names(result: RunResult) -> dict[str, str]:
    from soc2checks.testing.azure import demo_world, normalize

    return {s["name"]: s["id"] for s in normalize(demo_world())["subscriptions"]}


def test_no_errors_and_disabled_subscription_not_in_scope(demo_run: RunResult) -> None:
    assert [f.message for f in demo_run.findings if f.status.value == "error"] == []
    facts = demo_run.run.facts["azure"]
    assert facts["subscriptions_count"] == 2
    assert len(facts["not_enabled_subscriptions"]) == 1
    assert "(Disabled)" in facts["not_enabled_subscriptions"][0]


def test_entra_mfa(demo_run: RunResult) -> None:
    v = verdicts(demo_run, "azure.entra.mfa-registered")
    assert v["ann@example.com"] == "pass"
    assert v["kim@example.com"] == "fail"
    assert v["old@example.com"] == "skip"  # disabled
    assert v["partner_acme.com#EXT#@example.onmicrosoft.com"] == "skip"  # guest
    admin = verdicts(demo_run, "azure.entra.admin-mfa")
    assert admin["sam@example.com"] == "fail"  # Security Administrator without MFA
    assert admin["ann@example.com"] == "pass"
    assert admin["lee@example.com"] == "skip"
    assert list(verdicts(demo_run, "azure.entra.mfa-enforced").values()) == ["pass"]
    assert list(verdicts(demo_run, "azure.entra.global-admins").values()) == ["pass"]


def test_subscription_checks(demo_run: RunResult) -> None:
    assert verdicts(demo_run, "azure.authorization.owner-count") == {"prod": "pass", "dev": "fail"}
    assert verdicts(demo_run, "azure.authorization.no-classic-admins") == {
        "prod": "pass",
        "dev": "fail",
    }
    assert verdicts(demo_run, "azure.monitor.activity-log-export") == {
        "prod": "pass",
        "dev": "fail",
    }
    assert verdicts(demo_run, "azure.defender.plans") == {"prod": "pass", "dev": "fail"}


def test_storage_checks(demo_run: RunResult) -> None:
    for check in (
        "azure.storage.https-only",
        "azure.storage.min-tls",
        "azure.storage.no-public-blob-access",
        "azure.storage.infrastructure-encryption",
        "azure.storage.soft-delete",
    ):
        assert verdicts(demo_run, check) == {"prodorders": "pass", "devscratch": "fail"}, check


def test_network_keyvault_sql_compute(demo_run: RunResult) -> None:
    assert verdicts(demo_run, "azure.network.nsg-admin-ports-closed") == {
        "https": "pass",
        "ssh-bastion": "pass",
        "rdp-anywhere": "fail",  # 3380-3390 from * reaches RDP; the deny rule is not judged
    }
    assert verdicts(demo_run, "azure.keyvault.purge-protection") == {
        "prod-kv": "pass",
        "dev-kv": "fail",
    }
    assert verdicts(demo_run, "azure.keyvault.key-rotation") == {
        "orders-cmk": "pass",
        "dev-key": "fail",
    }
    assert verdicts(demo_run, "azure.sql.auditing") == {"prod-sql": "pass", "dev-sql": "fail"}
    assert verdicts(demo_run, "azure.sql.tde") == {"orders": "pass", "scratch": "fail"}  # no master
    assert verdicts(demo_run, "azure.compute.disk-encryption") == {
        "web-1-os": "pass",
        "dev-data": "fail",  # customer-key type without a disk encryption set
    }


def test_require_cmk_fails_platform_keys(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    result = run_azure(
        fake_azure(demo),
        checks="azure.compute.disk-encryption",
        params={"azure.compute.disk-encryption": {"require_cmk": True}},
    )
    assert verdicts(result, "azure.compute.disk-encryption")["web-1-os"] == "fail"


def test_a_field_left_out_is_an_error(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    demo["subscriptions"][0]["storage_accounts"][0]["omit"] = ["minimumTlsVersion"]
    result = run_azure(fake_azure(demo), checks="azure.storage.min-tls")
    assert verdicts(result, "azure.storage.min-tls")["prodorders"] == "error"
