"""Access review files: render a snapshot, read one back with line numbers, close it.

A review file is YAML in the ``compliance/`` folder, one entry per principal. Its
*snapshot* (the system, the start date and every entry's facts) is covered by a
digest kept in the file, so a reviewer can fill in decisions but not change what
was reviewed. Everything here is pure: text in, text or problems out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from soc2checks_access.models import Principal

__all__ = [
    "DECISIONS",
    "Review",
    "ReviewEntry",
    "close_problems",
    "digest_of",
    "file_name",
    "ident",
    "latest_completed",
    "mark_completed",
    "parse_review",
    "render_review",
    "self_reviewed",
]

SCHEMA = "soc2checks/access-review/v1"
DECISIONS = ("pending", "keep", "revoke", "modify")
SNAPSHOT_FIELDS = (
    "key",
    "account",
    "display_name",
    "kind",
    "privileged",
    "mfa",
    "external",
    "last_activity",
    "created",
    "source",
    "change",
    "flags",
)
_COMPARED = ("kind", "privileged", "mfa", "external")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ReviewEntry:
    """One principal's entry: its snapshot facts and the reviewer's decision."""

    line: int
    snapshot: dict[str, Any]
    decision: str
    reviewer: str | None
    reviewed_on: dt.date | None
    note: str | None
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return str(self.snapshot.get("key") or "")

    @property
    def account(self) -> str:
        return str(self.snapshot.get("account") or "")

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class Review:
    """A parsed review file; ``problems`` are ``FILE:LINE: message`` strings."""

    display: str
    system: str = ""
    started_on: dt.date | None = None
    status: str = ""
    completed_on: dt.date | None = None
    digest: str = ""
    entries: list[ReviewEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def principal_keys(self) -> set[str]:
        return {e.key for e in self.entries}

    def entry(self, key: str) -> ReviewEntry | None:
        return next((e for e in self.entries if e.key == key), None)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def digest_of(system: str, started_on: str, entries: Iterable[dict[str, Any]]) -> str:
    """The digest of a review's snapshot (decision fields are not part of it)."""
    payload = {
        "system": system,
        "started_on": started_on,
        "entries": [{f: _plain(e.get(f)) for f in SNAPSHOT_FIELDS} for e in entries],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def file_name(system: str, started_on: dt.date) -> str:
    """``access-review-github-acme-2026-12-03.yaml``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", system).strip("-").lower()
    return f"access-review-{slug}-{started_on.isoformat()}.yaml"


def _flags(p: Principal, today: dt.date, dormant_days: int) -> list[str]:
    flags: list[str] = []
    if p.privileged:
        flags.append("privileged")
    seen = p.last_activity or p.created
    if seen is not None and (today - seen.date()).days > dormant_days:
        flags.append("dormant")
    if p.mfa is False:
        flags.append("no-mfa")
    if p.external:
        flags.append("external")
    return flags


def _change(p: Principal, previous: Review | None) -> str:
    if previous is None:
        return "NEW"
    old = previous.entry(p.key)
    if old is None:
        return "NEW"
    now = p.model_dump(mode="json")
    same = all(old.snapshot.get(f) == now.get(f) for f in _COMPARED)
    return "UNCHANGED" if same else "CHANGED"


def render_review(
    system: str,
    principals: Sequence[Principal],
    *,
    today: dt.date,
    dormant_days: int,
    previous: Review | None,
) -> str:
    """A new review file's text: flagged principals first, then by key."""
    entries: list[dict[str, Any]] = []
    for p in principals:
        data = p.model_dump(mode="json")
        entry: dict[str, Any] = {"key": p.key}
        entry.update({f: data.get(f) for f in SNAPSHOT_FIELDS if f in data and f != "key"})
        entry["change"] = _change(p, previous)
        entry["flags"] = _flags(p, today, dormant_days)
        entries.append(entry)
    entries.sort(key=lambda e: (not e["flags"], e["key"]))
    started = today.isoformat()
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "system": system,
        "started_on": started,
        "status": "open",
        "completed_on": None,
        "previous": previous.display if previous is not None else None,
        "digest": digest_of(system, started, entries),
        "entries": [
            {**e, "decision": "pending", "reviewer": None, "reviewed_on": None, "note": None}
            for e in entries
        ],
    }
    head = (
        f"# Access review of {system}, started {started} by `soc2checks access-review start`.\n"
        "# For each entry set decision (keep | revoke | modify), reviewer, reviewed_on\n"
        "# (YYYY-MM-DD) and note; do not edit anything else (the digest covers it).\n"
        "# Then run `soc2checks access-review close FILE`.\n"
    )
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def _date(value: Any) -> dt.date | str | None:
    """A date, ``None`` for none, or the text that is not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _key_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def parse_review(text: str, display: str) -> Review:
    """Read a review file; every problem names the file and the line."""
    review = Review(display=display)

    def problem(line: int, message: str) -> None:
        review.problems.append(f"{display}:{line}: {message}")

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem(mark.line + 1 if mark is not None else 1, f"invalid YAML: {exc}".splitlines()[0])
        return review
    if not isinstance(data, dict) or node is None:
        problem(1, "is not an access review (expected a mapping with 'entries')")
        return review
    review.lines = _key_lines(node)
    top = review.lines
    if data.get("schema") != SCHEMA:
        problem(top.get("schema", 1), f"schema must be {SCHEMA!r}")
    for name in ("system", "started_on", "status", "digest", "entries"):
        if data.get(name) in (None, ""):
            problem(top.get(name, 1), f"'{name}' is missing")
    review.system = str(data.get("system") or "")
    review.digest = str(data.get("digest") or "")
    review.status = str(data.get("status") or "")
    started = _date(data.get("started_on"))
    if isinstance(started, str):
        problem(top.get("started_on", 1), f"started_on {started!r} is not a date (YYYY-MM-DD)")
    else:
        review.started_on = started
    completed = _date(data.get("completed_on"))
    if isinstance(completed, str):
        problem(top.get("completed_on", 1), f"completed_on {completed!r} is not a date")
    else:
        review.completed_on = completed
    if review.status not in ("open", "completed", ""):
        problem(top.get("status", 1), f"status {review.status!r} must be open or completed")
    if review.status == "completed" and review.completed_on is None:
        problem(top.get("status", 1), "a completed review needs completed_on")
    raw = data.get("entries")
    seq = next((v for k, v in node.value if str(k.value) == "entries"), None)
    if raw is not None and not (isinstance(raw, list) and isinstance(seq, yaml.SequenceNode)):
        problem(top.get("entries", 1), "'entries' must be a list")
        return review
    for item, item_node in zip(raw or [], seq.value if seq is not None else [], strict=False):
        _entry(review, item, item_node, problem)
    if not review.problems and review.started_on is not None:
        snapshot = [e.snapshot for e in review.entries]
        if digest_of(review.system, review.started_on.isoformat(), snapshot) != review.digest:
            problem(
                top.get("digest", 1),
                "the snapshot no longer matches its digest: the file was edited outside "
                "decision, reviewer, reviewed_on and note (start a new review)",
            )
    if review.status == "completed":
        for e in review.entries:
            if e.decision == "pending":
                problem(e.line_of("decision"), f"completed, but {e.key} is still pending")
    return review


def _entry(review: Review, item: Any, node: yaml.Node, problem: Any) -> None:
    line = node.start_mark.line + 1
    if not isinstance(item, dict):
        problem(line, "an entry must be a mapping")
        return
    lines = _key_lines(node)
    key = item.get("key")
    if not key:
        problem(line, "an entry has no key")
        return
    if key in review.principal_keys():
        problem(line, f"{key} is listed twice")
    decision = str(item.get("decision") or "pending")
    if decision not in DECISIONS:
        problem(lines.get("decision", line), f"decision {decision!r} must be one of {DECISIONS}")
    reviewer = item.get("reviewer")
    reviewer = str(reviewer).strip() if reviewer not in (None, "") else None
    parsed = _date(item.get("reviewed_on"))
    reviewed = None if isinstance(parsed, str) else parsed
    if isinstance(parsed, str):
        problem(lines.get("reviewed_on", line), f"reviewed_on {parsed!r} is not a date")
    if decision in DECISIONS and decision != "pending":
        if reviewer is None:
            problem(lines.get("reviewer", line), f"{key}: decision {decision} has no reviewer")
        if parsed is None:
            where = lines.get("reviewed_on", line)
            problem(where, f"{key}: decision {decision} has no reviewed_on")
    note = item.get("note")
    review.entries.append(
        ReviewEntry(
            line=line,
            snapshot={f: item.get(f) for f in SNAPSHOT_FIELDS},
            decision=decision,
            reviewer=reviewer,
            reviewed_on=reviewed,
            note=str(note).strip() if note not in (None, "") and str(note).strip() else None,
            lines=lines,
        )
    )


def ident(value: str) -> str:
    """An account or reviewer name as compared: lower case, no ``user:`` prefix."""
    v = value.strip().lower()
    for prefix in ("user:", "serviceaccount:", "group:", "role/"):
        if v.startswith(prefix):
            v = v[len(prefix) :]
    return v


def self_reviewed(entry: ReviewEntry) -> bool:
    """The reviewer decided on their own account (by account or display name)."""
    if entry.reviewer is None or entry.decision == "pending":
        return False
    me = ident(entry.reviewer)
    names = {ident(entry.account), ident(str(entry.snapshot.get("display_name") or ""))}
    return me in names


def close_problems(review: Review) -> list[str]:
    """Why ``close`` must refuse: file problems, pending decisions, self-reviews."""
    out = list(review.problems)
    if review.status == "completed":
        out.append(f"{review.display}:{review.lines.get('status', 1)}: is already completed")
    for e in review.entries:
        if e.decision == "pending":
            out.append(f"{review.display}:{e.line_of('decision')}: {e.key} is still pending")
    for e in review.entries:
        if self_reviewed(e):
            out.append(
                f"{review.display}:{e.line_of('reviewer')}: {e.reviewer} reviewed their own "
                f"account {e.key}; someone else must decide it"
            )
    return out


def mark_completed(text: str, review: Review, today: dt.date) -> str:
    """The file's text with ``status: completed`` and ``completed_on`` set, rest untouched."""
    lines = text.splitlines(keepends=True)
    status_line = review.lines["status"] - 1
    lines[status_line] = "status: completed\n"
    stamp = f"completed_on: '{today.isoformat()}'\n"
    if "completed_on" in review.lines:
        lines[review.lines["completed_on"] - 1] = stamp
    else:
        lines.insert(status_line + 1, stamp)
    return "".join(lines)


def latest_completed(reviews: Iterable[Review], system: str) -> Review | None:
    """The most recently completed, problem-free review of ``system``."""
    done = [
        r
        for r in reviews
        if r.system == system and r.status == "completed" and r.completed_on and not r.problems
    ]
    return max(done, key=lambda r: (r.completed_on, r.display), default=None)
