"""Loading and validating ``soc2checks.toml`` (or ``[tool.soc2checks]`` in pyproject)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from soc2checks._config_errors import DATE_HINT, describe_toml_error, describe_validation_error
from soc2checks._errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CATEGORIES = ("security", "availability", "processing-integrity", "confidentiality", "privacy")
JOBS_MIN, JOBS_MAX = 1, 256


def check_jobs(value: object) -> int:
    """The one rule for ``jobs = N`` in the config and ``--jobs N``: a whole number 1-256."""
    if isinstance(value, bool) or not isinstance(value, int) or not JOBS_MIN <= value <= JOBS_MAX:
        raise ValueError(f"expected a whole number from {JOBS_MIN} to {JOBS_MAX}, got {value!r}")
    return value


class Waiver(BaseModel):
    """A documented exception: turns matching failures into ``waived`` until it expires."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str
    resource: str = "*"
    justification: str
    approved_by: str
    expires: dt.date
    risk: str | None = None
    ticket: str | None = None

    @field_validator("justification", "approved_by", "check", "resource")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("expires", mode="before")
    @classmethod
    def _date_only(cls, v: Any) -> Any:
        if isinstance(v, dt.datetime):
            raise ValueError("give a date (2027-03-31), not a date and time; expiry is a UTC date")
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError:
                raise ValueError(f"{DATE_HINT}, got {v!r}") from None
        return v

    def matches(self, check_id: str, resource_id: str) -> bool:
        return fnmatchcase(check_id, self.check) and fnmatchcase(resource_id, self.resource)

    def live(self, today: dt.date) -> bool:
        """Inclusive: a waiver expiring today still applies today (UTC)."""
        return today <= self.expires


class ReportSettings(BaseModel):
    """The ``[report]`` table: what the HTML report says about whom and when."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    organization: str | None = None
    system: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class NotifySettings(BaseModel):
    """The ``[notify]`` table: where to send regressions and new errors of a gated run."""

    model_config = ConfigDict(extra="forbid")

    webhook: str | None = None
    format: Literal["slack", "teams", "json"] = "json"
    timeout: float = Field(default=10.0, gt=0, le=120)
    retries: int = Field(default=2, ge=0, le=10)

    @field_validator("webhook")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^/\s]+", v):
            raise ValueError(f"expected an http:// or https:// URL, got {v!r}")
        return v


class ExecutorSettings(BaseModel):
    """The ``[executor]`` table: where units of work run (see docs/executors.md)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["local", "dask"] = "local"
    scheduler: str | None = None
    max_in_flight: int = Field(default=64, ge=1, le=100_000)
    workers: int | None = Field(default=None, ge=1, le=1024)  # LocalCluster processes


class StoreSettings(BaseModel):
    """The ``[store]`` table: where runs are recorded (see docs/evidence-store.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = None
    signing_key: str | None = None
    expected_interval: str | None = None
    """A complete run is expected at least this often; longer intervals are gaps."""

    @field_validator("expected_interval")
    @classmethod
    def _duration(cls, v: str | None) -> str | None:
        from soc2checks._duration import parse_duration

        if v is not None:
            parse_duration(v)
        return v


class SlaSettings(BaseModel):
    """The ``[sla]`` table: remediation time per severity (``critical = "7d"``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    critical: str | None = None
    high: str | None = None
    medium: str | None = None
    low: str | None = None
    info: str | None = None

    @field_validator("critical", "high", "medium", "low", "info")
    @classmethod
    def _duration(cls, v: str | None) -> str | None:
        from soc2checks._duration import parse_duration

        if v is not None:
            parse_duration(v)
        return v

    def limits(self) -> dict[str, dt.timedelta]:
        from soc2checks._duration import parse_duration

        return {k: parse_duration(v) for k, v in self.model_dump().items() if v is not None}


class ConfigFile(BaseModel):
    """The documented config format; provider tables are validated by their provider."""

    model_config = ConfigDict(extra="allow")

    providers: list[str] | None = None
    categories: list[str] | None = None
    plugins: list[str] = Field(default_factory=list)
    checks: list[str] | None = None
    exclude_checks: list[str] = Field(default_factory=list)
    jobs: int | None = None
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)
    owners: dict[str, str] = Field(default_factory=dict)
    waivers: list[Waiver] = Field(default_factory=list)
    report: ReportSettings = Field(default_factory=ReportSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    executor: ExecutorSettings = Field(default_factory=ExecutorSettings)
    store: StoreSettings | None = None
    sla: SlaSettings | None = None

    @field_validator("jobs", mode="before")
    @classmethod
    def _jobs(cls, v: Any) -> Any:
        return v if v is None else check_jobs(v)

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        for c in v:
            if c not in CATEGORIES:
                raise ValueError(f"unknown category {c!r}; expected one of {', '.join(CATEGORIES)}")
        return v


TOP_LEVEL_KEYS = tuple(ConfigFile.model_fields)


def _format_validation_error(source: str, err: ValidationError) -> str:
    return describe_validation_error(source, err, ConfigFile, top_level=TOP_LEVEL_KEYS)


class Config:
    """A loaded, validated configuration, as plugins and hooks see it."""

    def __init__(
        self,
        data: ConfigFile | None = None,
        *,
        path: Path | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self.data = data or ConfigFile()
        self.path = path
        self.root = path.parent if path is not None else Path.cwd()
        self._options: dict[str, Any] = dict(options or {})
        self.options: dict[str, Any] = self._options
        self._settings: dict[str, BaseModel] = {}

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "configuration"

    def section(self, name: str) -> dict[str, Any]:
        """The raw table ``[name]`` of the config file (empty if absent)."""
        extra = self.data.model_extra or {}
        value = extra.get(name, {})
        return dict(value) if isinstance(value, dict) else {}

    def tables(self) -> set[str]:
        """Names of the provider tables present in the config file."""
        return {k for k, v in (self.data.model_extra or {}).items() if isinstance(v, dict)}

    def settings(self, name: str) -> Any:
        """The validated settings of provider ``name`` (its ``settings`` model)."""
        return self._settings.get(name)

    def set_settings(self, name: str, value: BaseModel) -> None:
        self._settings[name] = value

    def getoption(self, name: str, default: Any = None) -> Any:
        """A command-line option added by ``soc2checks_addoption`` (by its ``dest``)."""
        value = self._options.get(name, default)
        return default if value is None else value

    def resolve_path(self, value: str | Path) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(value)
        return p if p.is_absolute() else self.root / p

    @property
    def digest(self) -> str:
        payload = self.data.model_dump(mode="json")
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(describe_toml_error(str(path), text, exc)) from None
    return data


def find_config(cwd: Path) -> tuple[Path | None, dict[str, Any]]:
    """The config of folder ``cwd``: ``soc2checks.toml``, else pyproject's table."""
    cwd = cwd.resolve()
    own = cwd / "soc2checks.toml"
    if own.is_file():
        return own, _read_toml(own)
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject)
        table = data.get("tool", {}).get("soc2checks")
        if isinstance(table, dict):
            return pyproject, table
    return None, {}


def load_config(
    path: str | Path | None = None,
    *,
    options: Mapping[str, Any] | None = None,
    cwd: Path | None = None,
) -> Config:
    """Load and validate a config file; ``path=None`` looks in ``cwd``.

    Messages name the config file by its absolute path, however it was given.
    """
    if path is not None:
        p = Path(path).resolve()
        if p.is_dir():
            inside = [n for n in ("soc2checks.toml", "pyproject.toml") if (p / n).is_file()]
            hint = f" (did you mean --config {p / inside[0]}?)" if inside else ""
            raise ConfigError(f"{p}: is a folder, not a config file{hint}")
        if not p.is_file():
            raise ConfigError(f"{p}: config file not found")
        raw = _read_toml(p)
        if p.name == "pyproject.toml":
            table = raw.get("tool", {}).get("soc2checks")
            if not isinstance(table, dict):
                raise ConfigError(f"{p}: has no [tool.soc2checks] table")
            raw = table
        found: Path | None = p
    else:
        found, raw = find_config(cwd or Path.cwd())
    try:
        data = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(str(found or "configuration"), exc)) from None
    return Config(data, path=found, options=options)


def validation_message(source: str, err: ValidationError) -> str:
    """One line naming the key of the first problem in ``err``."""
    return _format_validation_error(source, err)
