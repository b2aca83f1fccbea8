"""Judging "an approved, reviewed document of this kind exists" for the document checks.

Shared by the checks that look for one procedure or description among the policy
documents (``policies/*.md``): the system description, the privacy notice, the
capacity-management procedure, ... A document matches by front matter ``id`` or file
name. Missing, draft, unapproved, stale or incomplete documents fail; a malformed one
is an ``error``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from soc2checks import skip
from soc2checks_files.models import (
    FUTURE_SLACK_DAYS,
    FilesRoot,
    MalformedFileError,
    PolicyDocument,
    age_in_days,
    is_blank,
    normalize_id,
)


def find_document(
    policies: Sequence[PolicyDocument], root: FilesRoot, ids: Sequence[str], kind: str
) -> PolicyDocument:
    """The one document in force whose id is one of ``ids``; fails when there is none."""
    if not root.policies:
        skip('documents are not kept in this folder ([files] policies = "")')
    wanted = [normalize_id(i) for i in ids]
    found = [p for p in policies if p.id in wanted]
    folder = root.display(root.policies)
    names = " or ".join(f"{root.policies}/{i}.md" for i in wanted)
    assert found, f"no {kind} in {folder}: expected {names}"
    in_force = [p for p in found if p.in_force]
    assert in_force, f"the {kind} {found[0].path} is {found[0].status}, not in force"
    if len(in_force) > 1:
        raise MalformedFileError(
            f"the {kind} is given by {len(in_force)} files: "
            f"{', '.join(p.path for p in in_force)}; keep one"
        )
    return in_force[0]


def _covers(policy: PolicyDocument, topic: str) -> bool:
    key = topic.strip().lower().replace(" ", "_").replace("-", "_")
    if not is_blank(policy.value(key)):
        return True
    wanted = normalize_id(topic)
    return any(wanted in normalize_id(h) for h in policy.headings)


def judge_document(
    policy: PolicyDocument,
    today: dt.date,
    *,
    max_age_days: int,
    required_keys: Sequence[str] = (),
    topics: Sequence[str] = (),
) -> None:
    """Fail unless the document is owned, approved, reviewed within ``max_age_days``,
    gives ``required_keys`` in its front matter and covers ``topics`` (a front matter
    key or a heading of that name)."""
    keys = [k.strip().lower().replace("-", "_").replace(" ", "_") for k in required_keys]
    policy.raise_problems("status", "owner", "approved_by", "last_reviewed", *keys)
    missing = [k for k in ("owner", "approved_by", *keys) if is_blank(policy.value(k))]
    assert not missing, f"{policy.path} front matter lacks {', '.join(missing)}"
    uncovered = [t for t in topics if not _covers(policy, t)]
    assert not uncovered, (
        f"{policy.path} does not cover {', '.join(uncovered)} (a section heading or a front "
        "matter key of that name)"
    )
    reviewed = policy.last_reviewed
    assert reviewed is not None, f"{policy.path} has no last_reviewed date in its front matter"
    age = age_in_days(reviewed, today)
    assert age >= -FUTURE_SLACK_DAYS, f"{policy.path}: last_reviewed {reviewed} is in the future"
    assert age <= max_age_days, (
        f"{policy.path} was last reviewed on {reviewed}, {age} days ago "
        f"(limit: {max_age_days} days)"
    )
