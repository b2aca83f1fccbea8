"""Helpers shared by the github tests: small worlds and finding lookups."""

from __future__ import annotations

from typing import Any

from soc2checks import Finding, RunResult


def small_world(**org: Any) -> dict[str, Any]:
    """A minimal world: org ``acme`` owned by ``owner`` with 2FA, plus ``org`` overrides."""
    base: dict[str, Any] = {
        "two_factor_requirement_enabled": True,
        "default_repository_permission": "read",
        "members": [{"login": "owner", "role": "admin", "two_factor": True}],
        "repos": [],
    }
    base.update(org)
    return {"orgs": {"acme": base}}


def verdicts(result: RunResult, check_id: str) -> dict[str, str]:
    """resource_id -> status of one check's findings."""
    return {f.resource_id: f.status.value for f in result.findings if f.check_id == check_id}


def findings(result: RunResult, check_id: str) -> list[Finding]:
    return [f for f in result.findings if f.check_id == check_id]
