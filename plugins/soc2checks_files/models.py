"""Typed resources of the ``files`` provider: policies, the risk register, records, vendors.

Every model is a pydantic model that round-trips through JSON. A resource whose file
(or row) could not be read fully carries ``problems``: each one names the file and line
(``compliance/policies/x.md:4: last_reviewed 'last spring' is not a date``) and, when
it concerns one field only, that field. Checks call :meth:`Parsed.raise_problems` with
the fields they read, so a bad date fails the review-date check with an ``error``
finding while the other checks of the same file, and every other file, are judged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field

#: Policy ``status`` values that take a policy out of force (its checks are skipped).
INACTIVE_POLICY_STATUSES = frozenset({"draft", "retired", "superseded", "archived"})
#: Risk ``status`` values that close a risk (its completeness check is skipped).
CLOSED_RISK_STATUSES = frozenset({"closed", "retired"})
#: Vendor ``status`` values of vendors no longer used (their review check is skipped).
INACTIVE_VENDOR_STATUSES = frozenset({"inactive", "offboarded", "terminated", "retired"})

#: How far in the future (in days) a date may be before it counts as a typo, so that a
#: date written in a time zone ahead of UTC is not rejected.
FUTURE_SLACK_DAYS = 1


def utc_today() -> dt.date:
    """Today's date in UTC: every age the ``files`` checks compute is relative to it."""
    return dt.datetime.now(dt.timezone.utc).date()


def normalize_id(value: str) -> str:
    """``"Access Control"`` and ``access_control`` both become ``access-control``."""
    return re.sub(r"[\s_]+", "-", value.strip().lower())


class MalformedFileError(ValueError):
    """A file or row could not be parsed; the message names each file and line."""


class Problem(BaseModel):
    """Something wrong in a file: where (``path:line``), what, and which field."""

    model_config = ConfigDict(frozen=True)

    location: str
    message: str
    key: str | None = None
    """The field the problem concerns; ``None`` when the whole file or row is affected."""

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class Parsed(BaseModel):
    """Base of every ``files`` resource: carries the problems met while parsing it."""

    problems: list[Problem] = Field(default_factory=list)

    def problems_for(self, *fields: str) -> list[Problem]:
        """Problems of the whole file or row, and of the named fields."""
        return [p for p in self.problems if p.key is None or p.key in fields]

    def raise_problems(self, *fields: str) -> None:
        """Raise :class:`MalformedFileError` if the file, row or a named field is malformed."""
        found = self.problems_for(*fields)
        if found:
            raise MalformedFileError("; ".join(str(p) for p in found))


class WithFields(Parsed):
    """A parsed item whose keys beyond the typed fields are kept in ``other``."""

    other: dict[str, str | list[str]] = Field(default_factory=dict)
    """Other keys with their values."""

    def value(self, key: str) -> object:
        """The value of a key: a typed field or one of ``other``."""
        if key in type(self).model_fields and key not in {"problems", "other"}:
            return getattr(self, key)
        return self.other.get(key)


class FilesRoot(BaseModel):
    """The scope of the ``files`` provider: one folder of policies and records."""

    folder: str
    """The folder as configured (``[files] path``); it names the scope in findings."""
    path: str
    """The folder resolved against the config file's folder."""
    policies: str = "policies"
    risk_register: str = "risk-register"
    records: str = "records"
    vendors: str = "vendors"
    config_file: str = "configuration"

    @property
    def resource_id(self) -> str:
        return self.folder

    @property
    def resource_type(self) -> str:
        return "files:folder"

    @property
    def scope_key(self) -> dict[str, str]:
        return {"folder": self.folder}

    def display(self, relative: str) -> str:
        """A path inside the folder as users see it: ``compliance/policies/x.md``."""
        if not relative:
            return self.folder
        return str(PurePosixPath(self.folder) / relative)

    def missing_message(self) -> str:
        return (
            f"files: folder {self.folder!r} does not exist (resolved to {self.path}); "
            f"create it or set `path` in the [files] table of {self.config_file}"
        )


class PolicyDocument(WithFields):
    """A policy: one Markdown file with YAML front matter, under ``policies/``."""

    resource_id: str
    """Path relative to the ``files`` folder: ``policies/access-control.md``."""
    path: str
    """Path as users see it: ``compliance/policies/access-control.md``."""
    id: str
    """Front matter ``id``, else the file name without ``.md``; normalized."""
    title: str | None = None
    owner: str | None = None
    approved_by: str | None = None
    version: str | None = None
    last_reviewed: dt.date | None = None
    status: str | None = None
    has_front_matter: bool = False
    headings: list[str] = Field(default_factory=list)
    """The Markdown headings of the body, in order (``Components``, ``Data flows``)."""
    other: dict[str, str | list[str]] = Field(default_factory=dict)
    """Other front matter keys with their values."""

    @property
    def in_force(self) -> bool:
        return self.status is None or normalize_id(self.status) not in INACTIVE_POLICY_STATUSES


class Risk(WithFields):
    """One risk of the risk register (a CSV row or a YAML list item)."""

    resource_id: str
    """``risk-register.csv#R-001``; ``risk-register.csv#line-7`` for a row without a
    usable ID."""
    path: str
    line: int
    id: str | None = None
    title: str | None = None
    owner: str | None = None
    likelihood: str | None = None
    impact: str | None = None
    treatment: str | None = None
    status: str | None = None
    other: dict[str, str | list[str]] = Field(default_factory=dict)

    @property
    def closed(self) -> bool:
        return self.status is not None and normalize_id(self.status) in CLOSED_RISK_STATUSES


class RiskRegister(Parsed):
    """The risk register as a whole: where it is, when it was reviewed, its risks."""

    resource_id: str
    """``risk-register.csv``; the configured name when no file is found."""
    path: str
    enabled: bool = True
    """False when ``[files] risk_register = ""``: the register is kept elsewhere."""
    found: bool = False
    format: str | None = None
    last_reviewed: dt.date | None = None
    owner: str | None = None
    approved_by: str | None = None
    expected: list[str] = Field(default_factory=list)
    """The file names looked for (for messages)."""
    risks: list[Risk] = Field(default_factory=list)

    @property
    def risk_count(self) -> int:
        return len(self.risks)


class Record(WithFields):
    """A dated record under ``records/``: a disaster-recovery test, an IR exercise, …"""

    resource_id: str
    path: str
    type: str | None = None
    """Normalized: ``disaster-recovery-test``, ``incident-response-exercise``, …"""
    title: str | None = None
    date: dt.date | None = None
    participants: list[str] = Field(default_factory=list)
    outcome: str | None = None
    other: dict[str, str | list[str]] = Field(default_factory=dict)


class Vendor(WithFields):
    """One vendor of the vendor inventory."""

    resource_id: str
    """``vendors.csv#Stripe``; ``vendors.csv#line-7`` for a row without a usable name."""
    path: str
    line: int
    name: str | None = None
    owner: str | None = None
    criticality: str | None = None
    last_reviewed: dt.date | None = None
    status: str | None = None
    other: dict[str, str | list[str]] = Field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.status is None or normalize_id(self.status) not in INACTIVE_VENDOR_STATUSES


class VendorInventory(Parsed):
    """The vendor inventory as a whole."""

    resource_id: str
    path: str
    enabled: bool = True
    found: bool = False
    format: str | None = None
    last_reviewed: dt.date | None = None
    owner: str | None = None
    expected: list[str] = Field(default_factory=list)
    vendors: list[Vendor] = Field(default_factory=list)

    @property
    def vendor_count(self) -> int:
        return len(self.vendors)


def is_blank(value: object) -> bool:
    """True for ``None``, empty or whitespace-only strings and empty lists."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not value
    return False


def age_in_days(day: dt.date, today: dt.date | None = None) -> int:
    """Days from ``day`` to ``today`` (UTC); negative for a future date."""
    return ((today or utc_today()) - day).days


def matching_records(records: Iterable[Record], types: Sequence[str]) -> list[Record]:
    """Records whose ``type`` is one of ``types`` (normalized), newest first.

    Records without a date sort last.
    """
    wanted = {normalize_id(t) for t in types}
    found = [r for r in records if r.type is not None and r.type in wanted]
    return sorted(found, key=lambda r: (r.date is None, -(r.date.toordinal() if r.date else 0)))


class FilesSettings(BaseModel):
    """The ``[files]`` table of ``soc2checks.toml``.

    Every location but ``path`` is relative to ``path``; an empty string says the
    documents of that kind are not kept in this folder (their checks are skipped).
    """

    model_config = ConfigDict(extra="forbid")

    path: str = "compliance"
    """The folder of policies and records, relative to the config file's folder."""
    policies: str = "policies"
    """Folder of policy Markdown files (searched recursively)."""
    risk_register: str = "risk-register"
    """The risk register: a file name, or a name without suffix to find
    ``risk-register.csv``, ``.yaml`` or ``.yml``."""
    records: str = "records"
    """Folder of record Markdown files (searched recursively)."""
    vendors: str = "vendors"
    """The vendor inventory: a file name, or a name without suffix (``vendors.csv``,
    ``.yaml`` or ``.yml``)."""


class RecordSelection(BaseModel):
    """Records of some types, sorted out for a recency check (newest first in each list)."""

    broken: list[Record] = Field(default_factory=list)
    """Records that may be of the types but whose type or date could not be read."""
    recent: list[Record] = Field(default_factory=list)
    """Records of the types dated within the window."""
    complete: list[Record] = Field(default_factory=list)
    """Recent records that also give every required field."""
    latest: Record | None = None
    """The newest dated record of the types, recent or not."""


def select_records(
    records: Iterable[Record],
    types: Sequence[str],
    max_age_days: int,
    required_fields: Sequence[str] = (),
    today: dt.date | None = None,
) -> RecordSelection:
    """Sort records of ``types`` into broken, recent (within ``max_age_days`` of today,
    UTC, allowing :data:`FUTURE_SLACK_DAYS` ahead) and complete ones."""
    today = today or utc_today()
    wanted = {normalize_id(t) for t in types}
    selection = RecordSelection()
    records = list(records)
    for record in records:
        if record.problems_for("type", "date") and (record.type is None or record.type in wanted):
            selection.broken.append(record)
    broken = {r.resource_id for r in selection.broken}
    matching = matching_records(
        (r for r in records if r.resource_id not in broken and r.date is not None), types
    )
    selection.latest = matching[0] if matching else None
    for record in matching:
        if record.date is None:  # pragma: no cover - filtered above
            continue
        age = age_in_days(record.date, today)
        if -FUTURE_SLACK_DAYS <= age <= max_age_days:
            selection.recent.append(record)
            if not any(is_blank(record.value(k)) for k in required_fields):
                selection.complete.append(record)
    return selection
