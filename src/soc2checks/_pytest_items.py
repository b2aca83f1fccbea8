"""Checks as pytest items: ``pytest --soc2checks`` (the pytest plugin's collection).

The engine runs once per pytest session (once per xdist worker), at collection, over
every selected check; each finding becomes an item ``CHECK_ID[resource]`` whose
outcome replays the finding: pass passes, fail fails with the message and evidence,
error is a pytest error, skip and waived are skips with the reason. ``-k`` and ``-m``
only deselect items, so they never change what is fetched.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from soc2checks._engine import Prepared
    from soc2checks._model import Finding, IdleCheck

_PREPARED: pytest.StashKey[Prepared] = pytest.StashKey()
_SEVERITIES = ("critical", "high", "medium", "low", "info")


def marker_name(value: str) -> str:
    """``CC6.1`` -> ``cc6_1``, ``mfa-enforced`` -> ``mfa_enforced``: usable in ``-m``."""
    return re.sub(r"[^0-9a-z]+", "_", value.lower()).strip("_")


def configure(config: pytest.Config) -> None:
    """Load the soc2checks config and plugins (no fetch) and register the markers."""
    from soc2checks._engine import prepare
    from soc2checks._errors import Soc2ChecksError

    path = config.getoption("soc2checks_config")
    try:
        prep = prepare(config=Path(path) if path else None)
    except Soc2ChecksError as exc:
        raise pytest.UsageError(f"soc2checks: {exc}") from None
    config.stash[_PREPARED] = prep
    config.addinivalue_line("markers", "soc2checks: a soc2checks check judged on one resource")
    kinds: dict[str, str] = {s: "severity" for s in _SEVERITIES}
    for check in prep.selected:
        kinds.setdefault(marker_name(check.provider), "provider")
        kinds.setdefault(marker_name(check.control.id), "control")
        for criterion in check.criteria:
            kinds.setdefault(marker_name(criterion), "criterion")
    for name, kind in sorted(kinds.items()):
        config.addinivalue_line("markers", f"{name}: soc2checks {kind} {name}")


def collect(session: pytest.Session, items: list[pytest.Item]) -> None:
    """Run the engine once and append one item per finding (and per idle check)."""
    from soc2checks._engine import run_checks
    from soc2checks._errors import Soc2ChecksError

    prep = session.config.stash[_PREPARED]
    try:
        result = run_checks(prepared=prep)
    except Soc2ChecksError as exc:
        raise pytest.UsageError(f"soc2checks: {exc}") from None
    parent = _Checks.from_parent(session, name="soc2checks", nodeid="soc2checks")
    names = _item_names(result.findings)
    for finding, name in zip(result.findings, names, strict=True):
        items.append(CheckItem.from_parent(parent, name=name, finding=finding, idle=None))
    for idle in result.idle_checks:
        f = _idle_finding(idle)
        items.append(CheckItem.from_parent(parent, name=f"{idle.check_id}[]", finding=f, idle=idle))


def _idle_finding(idle: IdleCheck) -> Finding:
    from soc2checks._model import Finding, Status

    return Finding(
        status=Status.ERROR, check_id=idle.check_id, provider=idle.provider, message=idle.message
    )


def _item_names(findings: list[Finding]) -> list[str]:
    """``CHECK_ID[resource]``; the scope is added where a resource repeats across scopes."""
    plain = [f"{f.check_id}[{f.resource_id}]" for f in findings]
    counts = Counter(plain)
    out: list[str] = []
    for name, f in zip(plain, findings, strict=True):
        if counts[name] > 1 and f.scope:
            where = ",".join(f"{k}={v}" for k, v in sorted(f.scope.items()))
            name = f"{f.check_id}[{f.resource_id}@{where}]"
        out.append(name)
    return out


class _Checks(pytest.Collector):
    """The session's soc2checks node; its items are made at collection."""

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        return []


class CheckItem(pytest.Item):
    """One finding replayed as a pytest outcome."""

    def __init__(self, *, finding: Finding, idle: IdleCheck | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.finding = finding
        self.user_properties.extend(
            [("check_id", finding.check_id), ("resource_id", finding.resource_id)]
        )
        marks = {"soc2checks", marker_name(finding.provider), finding.severity.value}
        if finding.control_id:
            marks.add(marker_name(finding.control_id))
        marks.update(marker_name(c) for c in finding.criteria)
        for mark in sorted(m for m in marks if m):
            self.add_marker(mark)

    def setup(self) -> None:
        from soc2checks._model import Status

        f = self.finding
        if f.status is Status.ERROR:  # raised in setup: pytest reports an error
            pytest.fail(
                f"{f.check_id} could not judge {f.resource_id or 'its scope'}: {f.message}",
                pytrace=False,
            )
        if f.status is Status.SKIP:
            pytest.skip(f.message or "skipped")
        if f.status is Status.WAIVED:
            w = f.waiver
            why = (
                f"waived: {w.justification} (approved by {w.approved_by}, expires {w.expires})"
                if w
                else "waived"
            )
            pytest.skip(why)

    def runtest(self) -> None:
        from soc2checks._model import Status

        f = self.finding
        if f.status is Status.FAIL:
            lines = [f"{f.check_id} failed on {f.resource_id}: {f.message}"]
            if f.evidence:
                lines.append("evidence: " + json.dumps(f.evidence, sort_keys=True, default=str))
            if f.remediation:
                lines.append(f"remediation: {f.remediation}")
            pytest.fail("\n".join(lines), pytrace=False)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name
