"""Data models shared by the engine, reporters and plugins: statuses, findings, runs."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Status(str, Enum):
    """The verdict of one check on one resource."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"
    WAIVED = "waived"

    def __str__(self) -> str:
        return self.value


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


class Severity(str, Enum):
    """How much a failure of a check matters, worst first; set with ``severity=``."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


class WaiverInfo(BaseModel):
    """The waiver that turned a failing finding into ``waived``, as shown in output."""

    model_config = ConfigDict(frozen=True)

    check: str
    resource: str
    justification: str
    approved_by: str
    expires: dt.date
    risk: str | None = None
    ticket: str | None = None


class Finding(BaseModel):
    """The verdict of one check on one resource.

    Checks normally never build a ``Finding``: returning passes, ``assert`` fails,
    [skip][soc2checks.skip] skips. A check that judges a whole scope may ``yield``
    findings; the engine fills in every field the check leaves empty (``check_id``,
    ``control_id``, ``criteria``, ``severity``, ``provider``, ``scope``).

    Attributes:
        check_id: the check that judged, such as ``aws.iam.root-mfa``.
        control_id: the control the check implements, such as ``mfa-enforced``.
        criteria: the Trust Services Criteria of the control (``CC6.1`` ...).
        status: the verdict: pass, fail, error, skip or waived.
        severity: the check's severity.
        provider: the provider whose resource was judged (``aws``, ``github`` ...).
        scope: where the resource lives (``{"account": "...", "region": "..."}``;
            empty for a run-wide scope).
        resource_id: the judged resource (an ARN, ``org/repo``, a file path ...).
        resource_type: its type, such as ``AWS::IAM::User``.
        message: why it failed, errored or was skipped (the ``assert`` message).
        evidence: the resource fields the check read or declared, for an auditor.
        remediation: how to fix a failure.
        waiver: the waiver that turned a failure into ``waived``, if any.

    ``status`` has no default: a finding says what it found. Findings are immutable
    once made (``model_copy(update=...)`` makes a changed copy), so a finding an
    observer or reporter was given cannot be turned into another verdict later.
    """

    model_config = ConfigDict(use_enum_values=False, frozen=True)

    status: Status
    check_id: str = ""
    control_id: str = ""
    criteria: tuple[str, ...] = ()
    severity: Severity = Severity.MEDIUM
    provider: str = ""
    scope: dict[str, str] = Field(default_factory=dict)
    resource_id: str = ""
    resource_type: str = ""
    message: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)
    remediation: str = ""
    waiver: WaiverInfo | None = None

    def sort_key(self) -> tuple[str, tuple[tuple[str, str], ...], str]:
        return (self.check_id, tuple(sorted(self.scope.items())), self.resource_id)

    def fingerprint(self) -> tuple[str, str, tuple[tuple[str, str], ...], str]:
        """Identity of the finding across runs: check, provider, scope, resource."""
        return (self.check_id, self.provider, tuple(sorted(self.scope.items())), self.resource_id)


class Summary(BaseModel):
    """Counts of findings by status.

    ``pass`` is a Python keyword, so its count is the attribute ``pass_``; in JSON and
    [as_dict][soc2checks.Summary.as_dict] it is ``"pass"``.

    Attributes:
        pass_: findings that passed.
        fail: findings that failed (not waived).
        error: findings whose check could not judge (API error, missing permission,
            bug in a check); never counted as a pass.
        skip: findings that did not apply to their resource.
        waived: failures covered by a live waiver.
        total: every finding.
    """

    model_config = ConfigDict(populate_by_name=True)

    pass_: int = Field(0, alias="pass")
    fail: int = 0
    error: int = 0
    skip: int = 0
    waived: int = 0
    total: int = 0

    @classmethod
    def of(cls, findings: list[Finding]) -> Summary:
        """The counts of ``findings``."""
        from collections import Counter

        by_status = Counter(f.status for f in findings)
        counts = {s.value: by_status.get(s, 0) for s in Status}
        return cls.model_validate({**counts, "total": len(findings)})

    def as_dict(self) -> dict[str, int]:
        """``{"pass": 3, "fail": 1, "error": 0, "skip": 0, "waived": 0, "total": 4}``."""
        return self.model_dump(by_alias=True)


class PluginInfo(BaseModel):
    """A plugin that took part in a run: its name and, if installed, its distribution."""

    name: str
    distribution: str | None = None
    version: str | None = None


class RunInfo(BaseModel):
    """Facts about one invocation; the only part of the output that varies between runs.

    Attributes:
        id: a random ID of this run.
        started_at: when the run started (UTC).
        finished_at: when it finished (UTC).
        tool_version: the soc2checks version.
        plugins: the plugins loaded, sorted by name.
        config_digest: a digest of the configuration, to tell two configs apart.
        warnings: what the user should know but did not stop the run (expired
            waivers, checks that judged nothing), also printed on standard error.
        facts: what providers recorded through the ``run_facts`` fixture.
    """

    id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    tool_version: str
    plugins: list[PluginInfo] = Field(default_factory=list)
    config_digest: str = ""
    warnings: list[str] = Field(default_factory=list)
    facts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """What providers recorded through the ``run_facts`` fixture, by provider then key:
    the population they enumerated (accounts, projects, subscriptions), the identity
    and endpoint they used. Sorted, so the same estate gives the same facts."""


class IdleCheck(BaseModel):
    """A selected check that judged nothing: an empty scope is never a silent pass.

    ``reason`` is ``"filtered"`` when the provider found resources but the config's
    filters (``include_repos``, ...) left none, else ``"no-resources"``; ``message``
    says which fixture came back empty and where.
    """

    model_config = ConfigDict(frozen=True)

    check_id: str
    provider: str
    reason: str
    message: str


class RunResult(BaseModel):
    """What [soc2checks.run][] returns: every finding and what they add up to.

    Attributes:
        run: facts about the run (time, plugins, warnings, facts).
        summary: counts by status (``summary.pass_``, ``summary.fail`` ...).
        findings: every finding, sorted by check ID, scope and resource ID.
        regressions: with ``baseline=``, the failures whose fingerprint (check,
            provider, scope, resource) is not among the baseline's failures: what
            ``--fail-on regression`` fails on. Empty without a baseline.
        new_errors: with ``baseline=``, the errors not among the baseline's errors:
            what makes ``soc2checks run --baseline`` exit 3. Empty without a baseline.
        idle_checks: the selected checks that judged no resource at all (a
            mistyped filter, a scope with nothing in it); the CLI exits 3 when
            there are any.
    """

    run: RunInfo
    summary: Summary
    findings: list[Finding]
    regressions: list[Finding] = Field(default_factory=list)
    new_errors: list[Finding] = Field(default_factory=list)
    idle_checks: list[IdleCheck] = Field(default_factory=list)


class RunFacts:
    """The ``run_facts`` built-in fixture: facts a provider records about this run.

    A scope fixture records the population it enumerated, a client fixture the
    identity and endpoint it used, so a report shows an auditor what was in scope
    and where the answers came from::

        @resource("aws_accounts", scope="run")
        def accounts(config, run_facts):
            ...
            run_facts.record("aws", "accounts", sorted(ids))

    Values must be JSON-ready (str, numbers, bools, lists, dicts). Recording the same
    key twice keeps the last value; thread-safe. The facts land in ``RunInfo.facts``.
    """

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._facts: dict[str, dict[str, Any]] = {}
        self._filters: dict[str, list[Any]] = {}
        self._warnings: list[str] = []

    def warn(self, message: str) -> None:
        """Add one line to the run's warnings (``RunInfo.warnings``, printed on standard
        error): what the user should know up front, such as a run that will not fit in
        the API budget. The same line twice is kept once."""
        with self._lock:
            if message not in self._warnings:
                self._warnings.append(message)

    def warnings(self) -> list[str]:
        """The lines recorded with :meth:`warn`, in order."""
        with self._lock:
            return list(self._warnings)

    def filtered(self, fixture: str, *, found: int, kept: int, by: str) -> None:
        """Record that fixture ``fixture`` kept ``kept`` of the ``found`` resources it
        listed because of the config setting(s) ``by`` (``"include_repos"``).

        Counts add up over the fixture's scopes. When a check judges nothing, the run
        then says the config filtered everything out rather than "no resources".
        """
        with self._lock:
            entry = self._filters.setdefault(fixture, [0, 0, by])
            entry[0] += found
            entry[1] += kept

    def filters(self) -> dict[str, tuple[int, int, str]]:
        """Fixture -> (found, kept, setting), as recorded with :meth:`filtered`."""
        with self._lock:
            return {k: (v[0], v[1], v[2]) for k, v in sorted(self._filters.items())}

    def record(self, provider: str, key: str, value: Any) -> None:
        """Record ``value`` under ``provider`` and ``key``."""
        from soc2checks._evidence import jsonable

        with self._lock:
            self._facts.setdefault(provider, {})[key] = jsonable(value)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """A sorted copy, as stored in ``RunInfo.facts``."""
        with self._lock:
            return {p: dict(sorted(kv.items())) for p, kv in sorted(self._facts.items())}
