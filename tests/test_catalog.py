"""The catalog and the first-party mapping: no dangling or duplicated mapping, docs complete."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from soc2checks._catalog import CATEGORY_OF_PREFIX, criteria
from soc2checks._plugins import Registry, build_registry, discover_entry_points

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return build_registry(discover_entry_points())


def test_61_criteria_in_five_categories() -> None:
    crit = criteria()
    assert len(crit) == 61
    counts = Counter(c.category for c in crit.values())
    assert counts == {
        "security": 33,
        "availability": 3,
        "processing-integrity": 5,
        "confidentiality": 2,
        "privacy": 18,
    }
    for c in crit.values():
        prefix = c.id.rstrip("0123456789.")
        assert CATEGORY_OF_PREFIX[prefix] == c.category
        assert c.title and c.title[0].isupper()
    assert len({c.title for c in crit.values()}) == 61


def test_first_party_mapping_is_complete_and_consistent(registry: Registry) -> None:
    known = criteria()
    used_controls = {c.control.id for c in registry.checks.values()}
    for ctl in registry.controls.values():
        assert ctl.criteria and all(c in known for c in ctl.criteria), ctl.id
        assert len(set(ctl.criteria)) == len(ctl.criteria), f"{ctl.id} lists a criterion twice"
        assert ctl.title, f"control {ctl.id} has no title"
    first_party = {c.control.id for c in registry.checks.values() if c.plugin == "controls"}
    declared = {
        ctl.id for ctl in registry.controls.values() if ctl.module.startswith("soc2checks_controls")
    }
    assert declared <= used_controls, f"controls without checks: {sorted(declared - used_controls)}"
    assert first_party == declared
    for check in registry.checks.values():
        assert check.control.id in registry.controls
        assert check.provider in registry.providers, (check.id, check.provider)
        assert check.id.split(".", 1)[0] == check.provider, (
            f"{check.id} should start with its provider"
        )
        assert check.spec.title and check.spec.title != check.id, (
            f"{check.id} has no docstring title"
        )
        assert check.spec.remediation, f"{check.id} has no remediation"


def test_every_first_party_check_is_documented(registry: Registry) -> None:
    docs = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "providers").glob("*.md")
    )
    missing = [c for c in registry.checks if c not in docs]
    assert not missing, f"checks missing from docs/providers: {missing}"


def test_every_cloud_check_needs_declared_permissions(registry: Registry) -> None:
    for check in registry.checks.values():
        if check.provider in ("aws", "github"):
            assert registry.permissions_of(check), f"{check.id} declares no API permission"
