"""Helpers shared by the built-in reporters: ordering, grouping, JSON-able evidence."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import importlib
import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

from soc2checks._model import Finding, Status, Summary

#: Worst first: the order findings take inside a group.
STATUS_RANK: dict[Status, int] = {
    Status.FAIL: 0,
    Status.ERROR: 1,
    Status.WAIVED: 2,
    Status.SKIP: 3,
    Status.PASS: 4,
}

SEVERITY_RANK: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}

#: Heading used for findings whose check maps to no criterion.
UNMAPPED = "(unmapped)"

_CATEGORY_ORDER = ["CC", "A", "PI", "C", "P"]


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in the documented order: check ID, then scope, then resource ID."""
    return sorted(findings, key=Finding.sort_key)


def worst_first(findings: Iterable[Finding]) -> list[Finding]:
    """Failures, then errors, waived, skipped, passed; stable documented order inside."""
    return sorted(
        sorted_findings(findings),
        key=lambda f: (STATUS_RANK[f.status], SEVERITY_RANK.get(f.severity.value, 9)),
    )


def criterion_sort_key(cid: str) -> tuple[int, int, int, str]:
    """CC1.1 < CC1.2 < CC10.1 < A1.1 < PI1.1 < C1.1 < P1.1; unknown IDs last, by name."""
    m = re.fullmatch(r"([A-Z]+)(\d+)\.(\d+)", cid)
    if m and m.group(1) in _CATEGORY_ORDER:
        return (_CATEGORY_ORDER.index(m.group(1)), int(m.group(2)), int(m.group(3)), cid)
    n = re.fullmatch(r"(\d+)\.(\d+)", cid)  # another framework's numeric IDs: 5.2 < 5.10
    if n:
        return (len(_CATEGORY_ORDER), int(n.group(1)), int(n.group(2)), cid)
    return (len(_CATEGORY_ORDER) + 1, 0, 0, cid)


def criterion_titles(explicit: Mapping[str, str] | None = None) -> dict[str, str]:
    """Criterion ID -> title, from the shipped catalog when present, then ``explicit``."""
    titles: dict[str, str] = {}
    try:
        catalog: Any = importlib.import_module("soc2checks._catalog")
        found: Any = catalog.criteria()
        items: Iterable[Any] = found.values() if isinstance(found, Mapping) else found
        for c in items:
            titles[str(c.id)] = str(c.title)
    except Exception:  # the catalog is optional for rendering: show IDs only
        pass
    if explicit:
        titles.update(explicit)
    return titles


def group_by_criterion(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """(criterion, findings worst first) in framework order; a finding under each criterion."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        for cid in dict.fromkeys(f.criteria) or [UNMAPPED]:
            groups.setdefault(cid, []).append(f)
    return [(cid, worst_first(groups[cid])) for cid in sorted(groups, key=criterion_sort_key)]


def group_by_control(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """(control ID, findings worst first), sorted by control ID."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.control_id, []).append(f)
    return [(cid, worst_first(groups[cid])) for cid in sorted(groups)]


def fingerprint_hash(f: Finding) -> str:
    """A finding's stable identity across runs as 64 hex digits.

    SHA-256 of the JSON list ``[check_id, provider, [[key, value], ...], resource_id]``
    (scope sorted by key): the same in SARIF ``partialFingerprints``, OCSF
    ``finding_info.uid`` and OSCAL, so a finding can be followed from one to another.
    """
    text = json.dumps(list(f.fingerprint()), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Status value -> count (every status present), plus ``total``."""
    return Summary.of(list(findings)).as_dict()


def overall_status(findings: Iterable[Finding]) -> Status:
    """The worst status among ``findings`` (pass when there are none)."""
    ranked = sorted((f.status for f in findings), key=STATUS_RANK.__getitem__)
    return ranked[0] if ranked else Status.PASS


def summary_line(summary: Mapping[str, int]) -> str:
    """``soc2checks: 7 findings (3 pass, 1 fail, 1 error, 1 skip, 1 waived)``.

    Deliberately not ``N passed, N failed``: CI systems read such a line, alone or after
    one word and a colon, as a test runner's closing line.
    """
    parts = ", ".join(f"{summary[s.value]} {s.value}" for s in Status)
    total = summary["total"]
    noun = "finding" if total == 1 else "findings"
    return f"soc2checks: {total} {noun} ({parts})"


def counts_phrase(summary: Mapping[str, int]) -> str:
    """``1 fail, 1 error, 3 pass`` listing non-zero counts, worst first."""
    order = sorted(Status, key=STATUS_RANK.__getitem__)
    parts = [f"{summary[s.value]} {s.value}" for s in order if summary[s.value]]
    return ", ".join(parts) or "no findings"


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters (other than newline and tab) shown as ``\\xNN``.

    C0 controls (ESC, ``\\r``, NUL ...), DEL and the C1 range (``\\x9b`` is a CSI on
    some terminals) are escaped. Keeps a resource ID or message from sending terminal
    escape sequences or bells, and keeps characters that XML and HTML cannot carry out
    of reports.
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """``text`` made :func:`visible` and kept on one line (newlines and tabs escaped too)."""
    return visible(text).replace("\n", "\\n").replace("\t", "\\t")


def scope_label(scope: Mapping[str, str]) -> str:
    """``account=123, region=eu-west-1`` (keys sorted); empty for a run-wide scope."""
    return ", ".join(f"{k}={v}" for k, v in sorted(scope.items()))


#: A cause is shown once when it made at least this many checks of one scope error.
SHARED_CAUSE_MIN_CHECKS = 2


@dataclasses.dataclass(frozen=True)
class SharedCause:
    """One error message that several checks of one provider and scope share.

    When credentials are missing or a scope fixture cannot be fetched, every check of
    that scope errors with the same message; reports show it once with the count
    (:func:`shared_causes`), while the findings stay one per check.
    """

    provider: str
    scope: tuple[tuple[str, str], ...]
    message: str
    check_ids: tuple[str, ...]
    findings: tuple[Finding, ...]

    def headline(self) -> str:
        """``53 aws checks could not judge (account=1), one cause: MESSAGE``."""
        where = scope_label(dict(self.scope))
        n = len(self.check_ids)
        return (
            f"{n} {self.provider} {'check' if n == 1 else 'checks'} could not judge"
            + (f" ({where})" if where else "")
            + f", one cause: {' '.join(visible(self.message).split())}"
        )


def shared_causes(
    findings: Iterable[Finding], min_checks: int = SHARED_CAUSE_MIN_CHECKS
) -> list[SharedCause]:
    """Error messages shared by ``min_checks`` or more checks of one provider and scope.

    Sorted by provider, scope and message; each cause's check IDs are sorted.
    """
    groups: dict[tuple[str, tuple[tuple[str, str], ...], str], list[Finding]] = {}
    for f in findings:
        if f.status is Status.ERROR and f.message:
            key = (f.provider, tuple(sorted(f.scope.items())), f.message)
            groups.setdefault(key, []).append(f)
    out = []
    for (provider, scope, message), group in sorted(groups.items()):
        ids = tuple(sorted({f.check_id for f in group}))
        if len(ids) >= min_checks:
            out.append(SharedCause(provider, scope, message, ids, tuple(sorted_findings(group))))
    return out


def waiver_text(f: Finding) -> str:
    """One line describing the waiver of ``f`` (empty when it has none)."""
    w = f.waiver
    if w is None:
        return ""
    text = f"waived: {w.justification} (approved by {w.approved_by}, expires {w.expires})"
    extras = [f"risk: {w.risk}" if w.risk else "", f"ticket: {w.ticket}" if w.ticket else ""]
    extra = "; ".join(e for e in extras if e)
    return f"{text} [{extra}]" if extra else text


def utc_iso(value: dt.datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix; a naive datetime is taken to be UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    text = value.astimezone(dt.timezone.utc).isoformat()
    return text.replace("+00:00", "Z")


def to_jsonable(value: Any) -> Any:
    """``value`` as plain JSON data, deterministically.

    Dicts get string keys, sets become sorted lists, dates and datetimes ISO strings,
    pydantic models are dumped in JSON mode, enums give their value; anything else
    unknown is shown with ``str()``. Non-finite floats become strings (JSON has none).
    """
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, BaseModel):
        return to_jsonable(value.model_dump(mode="json"))
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (decimal.Decimal, uuid.UUID, PurePath)):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    return str(value)


def dumps_evidence(evidence: Mapping[str, Any]) -> str:
    """Evidence as indented, key-sorted JSON text for human-readable reports."""
    return json.dumps(to_jsonable(evidence), indent=2, sort_keys=True, ensure_ascii=False)
