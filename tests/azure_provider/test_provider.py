"""The azure provider: scope, denials, licences, throttling, endpoints and permissions."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.provider_config import write_config

from soc2checks import ConfigError, RunResult
from soc2checks.testing.azure import FakeAzure, normalize


def _ids(world: dict[str, Any]) -> dict[str, str]:
    return {s["name"]: s["id"] for s in normalize(world)["subscriptions"]}


def test_a_denied_subscription_errors_alone(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    fake = fake_azure(demo)
    fake.deny("Microsoft.Storage/storageAccounts/read", "prod")
    result = run_azure(fake, checks="azure.storage.https-only")
    prod = [f for f in result.findings if f.scope.get("subscription") == _ids(demo)["prod"]]
    dev = [f for f in result.findings if f.scope.get("subscription") == _ids(demo)["dev"]]
    assert [f.status.value for f in prod] == ["error"]
    assert "Microsoft.Storage/storageAccounts/read" in prod[0].message
    assert [f.status.value for f in dev] == ["fail"]


def test_a_partly_readable_subscription_judges_the_rest(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    fake = fake_azure(demo)
    fake.deny("Microsoft.KeyVault/vaults/read", "prod")
    result = run_azure(fake, checks=["azure.keyvault.purge-protection", "azure.sql.auditing"])
    prod = {
        f.check_id: f.status.value
        for f in result.findings
        if f.scope.get("subscription") == _ids(demo)["prod"]
    }
    assert prod == {"azure.keyvault.purge-protection": "error", "azure.sql.auditing": "pass"}


def test_graph_permission_missing_is_one_error_not_a_fail_per_user(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    fake = fake_azure(demo)
    fake.deny("AuditLog.Read.All")
    result = run_azure(fake, checks="azure.entra.mfa-registered")
    assert [f.status.value for f in result.findings] == ["error"]
    assert "AuditLog.Read.All" in result.findings[0].message


def test_tenant_without_p1_is_an_error_naming_the_licence(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    demo["tenant"]["premium"] = False
    result = run_azure(
        fake_azure(demo), checks=["azure.entra.mfa-registered", "azure.entra.mfa-enforced"]
    )
    assert {f.check_id: f.status.value for f in result.findings} == {
        "azure.entra.mfa-registered": "error",
        "azure.entra.mfa-enforced": "error",
    }
    assert all("P1" in f.message for f in result.findings)


def test_security_defaults_pass_without_reading_conditional_access(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    demo["tenant"].update(premium=False, security_defaults=True)
    demo["conditional_access"] = []
    fake = fake_azure(demo)
    result = run_azure(fake, checks="azure.entra.mfa-enforced")
    assert [f.status.value for f in result.findings] == ["pass"]
    assert fake.requests["GET /v1.0/identity/conditionalAccess/policies"] == 0


def test_report_only_policy_does_not_enforce_mfa(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    demo["conditional_access"][0]["state"] = "enabledForReportingButNotEnforced"
    result = run_azure(fake_azure(demo), checks="azure.entra.mfa-enforced")
    assert [f.status.value for f in result.findings] == ["fail"]


def test_throttling_is_retried_with_retry_after(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    fake = fake_azure(demo)
    fake.throttle(2, retry_after=0)
    result = run_azure(fake, checks="azure.storage.https-only")
    assert sorted(f.status.value for f in result.findings) == ["fail", "pass"]


def test_listed_subscriptions_and_an_invisible_one(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    ids = _ids(demo)
    ghost = "00000000-0000-0000-0000-00000000dead"
    result = run_azure(
        fake_azure(demo), checks="azure.defender.plans", subscriptions=[ids["prod"], ghost]
    )
    got = {f.scope["subscription"]: f.status.value for f in result.findings}
    assert got == {ids["prod"]: "pass", ghost: "error"}
    assert result.run.facts["azure"]["invisible_subscriptions"] == [ghost]


def test_excluded_subscriptions(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    ids = _ids(demo)
    result = run_azure(
        fake_azure(demo), checks="azure.defender.plans", exclude_subscriptions=[ids["dev"]]
    )
    assert {f.scope["subscription"] for f in result.findings} == {ids["prod"]}
    assert result.run.facts["azure"]["excluded_subscriptions"] == [ids["dev"]]


def test_paging_follows_next_link(
    demo: dict[str, Any], fake_azure: Callable[..., FakeAzure], run_azure: Callable[..., RunResult]
) -> None:
    demo["page_size"] = 1
    fake = fake_azure(demo)
    result = run_azure(fake, checks=["azure.entra.mfa-registered", "azure.defender.plans"])
    users = [f for f in result.findings if f.check_id == "azure.entra.mfa-registered"]
    assert len(users) == 7
    assert fake.requests["GET /v1.0/users"] == 7
    assert fake.requests["GET /subscriptions"] == 3


def test_token_without_environment_variable_is_an_error(
    demo: dict[str, Any],
    fake_azure: Callable[..., FakeAzure],
    run_azure: Callable[..., RunResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = fake_azure(demo)
    monkeypatch.delenv("SOC2CHECKS_AZURE_TOKEN")
    result = run_azure(fake, checks="azure.defender.plans")
    assert [f.status.value for f in result.findings] == ["error"]
    assert "SOC2CHECKS_AZURE_TOKEN" in result.findings[0].message


def test_a_wrong_token_is_an_error_not_a_pass(
    demo: dict[str, Any],
    fake_azure: Callable[..., FakeAzure],
    run_azure: Callable[..., RunResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = fake_azure(demo)
    monkeypatch.setenv("SOC2CHECKS_AZURE_TOKEN", "stolen")
    result = run_azure(fake, checks=["azure.defender.plans", "azure.entra.global-admins"])
    assert {f.status.value for f in result.findings} == {"error"}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"endpoint": "http://arm.example.com"}, "only allowed for loopback"),
        ({"tenant_id": "acme"}, "not a tenant ID"),
        ({"subscriptions": ["prod"]}, "not a subscription ID"),
        ({"region": "x"}, "region"),
    ],
)
def test_bad_settings_are_config_errors(
    demo: dict[str, Any],
    fake_azure: Callable[..., FakeAzure],
    run_azure: Callable[..., RunResult],
    table: dict[str, Any],
    message: str,
) -> None:
    with pytest.raises(ConfigError, match=message):
        run_azure(fake_azure(demo), **table)


def test_permissions_prints_a_role_and_graph_permissions() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "soc2checks.cli", "permissions", "azure"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    for action in (
        "Microsoft.Storage/storageAccounts/read",
        "Microsoft.KeyVault/vaults/keys/read",
        "Microsoft.Insights/DiagnosticSettings/Read",
    ):
        assert f'"{action}"' in out.stdout
    assert "AuditLog.Read.All" in out.stdout and "Microsoft Entra ID P1" in out.stdout


def _role(capsys: pytest.CaptureFixture[str], tmp_path: Path, table: dict[str, Any]) -> str:
    from soc2checks.cli import main

    path = write_config(tmp_path / "soc2checks.toml", "azure", table)
    capsys.readouterr()
    assert main(["permissions", "azure", "--config", str(path)]) == 0
    return capsys.readouterr().out


def _scopes(out: str) -> list[str] | None:
    role = json.loads(out[: out.index("\n}\n") + 2])
    scopes = role.get("AssignableScopes")
    return None if scopes is None else list(scopes)


def test_role_assignable_scopes_come_from_the_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a, b = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
    out = _role(capsys, tmp_path, {"subscriptions": [b, a], "exclude_subscriptions": [b]})
    assert _scopes(out) == [f"/subscriptions/{a}"]
    tenant = "33333333-3333-3333-3333-333333333333"
    out = _role(capsys, tmp_path, {"tenant_id": tenant})
    assert _scopes(out) == [f"/providers/Microsoft.Management/managementGroups/{tenant}"]
    # nothing known: no placeholder scope, a note says what to set
    out = _role(capsys, tmp_path, {"cloud": "public"})
    assert _scopes(out) is None
    assert "00000000-0000-0000-0000-000000000000" not in out
    assert "AssignableScopes left out: set [azure] subscriptions" in out
