"""Documented policies: required policies exist, have owners and are reviewed yearly.

Policies communicated to staff and reviewed on schedule are how CC1, CC2 and CC5 are
evidenced; the information-security, access-control and change-management policies
set the general controls over technology (CC5.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from soc2checks import Finding, Status, control, skip
from soc2checks_files.models import (
    FUTURE_SLACK_DAYS,
    FilesRoot,
    PolicyDocument,
    age_in_days,
    is_blank,
    normalize_id,
)

documented_policies = control("documented-policies", criteria=["CC1.1", "CC2.2", "CC5.2", "CC5.3"])

# Checks for every provider sit side by side below, grouped by provider.

# --- files ---


#: The policies a SOC 2 auditor expects to see; override with
#: ``[params."files.policy.required-present"] required = [...]``.
REQUIRED_POLICIES = (
    "information-security",
    "acceptable-use",
    "access-control",
    "change-management",
    "incident-response",
    "data-retention-and-disposal",
    "business-continuity",
    "disaster-recovery",
    "vendor-management",
    "risk-assessment",
    "privacy-notice",
    "data-classification",
    "processing-specifications",
    "reconciliation-procedure",
    "capacity-management",
)
POLICY_METADATA = ("owner", "approved_by", "version", "last_reviewed")


@documented_policies.check(
    "files.policy.required-present",
    severity="high",
    remediation=(
        "Write the missing policy as policies/<name>.md (or give an existing file "
        "`id: <name>` in its front matter) and have it approved; a draft does not count."
    ),
)
def files_required_policies_present(
    files_policies: list[PolicyDocument],
    files_root: FilesRoot,
    required: tuple[str, ...] = REQUIRED_POLICIES,
) -> Iterator[Finding]:
    """Every required policy exists as a document in force.

    A policy matches a required name by its front matter ``id``, else by its file name
    (``policies/access-control.md``). One finding per required name; a policy that
    exists only as a draft, retired or superseded document fails.
    """
    if not required:
        skip("no required policies configured (the 'required' parameter is empty)")
    by_id: dict[str, list[PolicyDocument]] = {}
    for policy in files_policies:
        by_id.setdefault(policy.id, []).append(policy)
    folder = files_root.display(files_root.policies)
    for name in dict.fromkeys(normalize_id(n) for n in required):
        found = by_id.get(name, [])
        expected = f"{files_root.policies}/{name}.md" if files_root.policies else name
        if not found:
            where = (
                f"in {folder}"
                if files_root.policies
                else '(policies are not read: [files] policies = "")'
            )
            yield Finding(
                status=Status.FAIL,
                resource_id=expected,
                resource_type="files:policy",
                message=(
                    f"no {name} policy {where}: expected {files_root.display(expected)} or a "
                    f"Markdown file with 'id: {name}' in its front matter"
                ),
                evidence={"required": name, "policies": sorted(by_id)},
            )
            continue
        if len(found) > 1:
            yield Finding(
                status=Status.ERROR,
                resource_id=found[0].resource_id,
                resource_type="files:policy",
                message=(
                    f"the {name} policy is given by {len(found)} files: "
                    f"{', '.join(p.path for p in found)}; keep one"
                ),
                evidence={"required": name, "files": [p.path for p in found]},
            )
            continue
        policy = found[0]
        evidence = {"required": name, "path": policy.path, "status": policy.status}
        if not policy.in_force:
            yield Finding(
                status=Status.FAIL,
                resource_id=policy.resource_id,
                resource_type="files:policy",
                message=f"the {name} policy {policy.path} is {policy.status}, not in force",
                evidence=evidence,
            )
            continue
        yield Finding(
            status=Status.PASS,
            resource_id=policy.resource_id,
            resource_type="files:policy",
            message=f"present: {policy.path}",
            evidence=evidence,
        )


@documented_policies.check(
    "files.policy.metadata",
    over="files_policies",
    severity="medium",
    evidence=["path", "has_front_matter", "status", *POLICY_METADATA],
    remediation=(
        "Start the policy with YAML front matter giving owner, approved_by, version and "
        "last_reviewed (YYYY-MM-DD), between two '---' lines."
    ),
)
def files_policy_metadata(
    policy: PolicyDocument, required_fields: tuple[str, ...] = POLICY_METADATA
) -> None:
    """The policy names its owner, approver, version and last review date.

    Read from the YAML front matter of the Markdown file. Drafts and retired or
    superseded policies (``status`` in the front matter) are skipped.
    """
    keys = [k.strip().lower().replace("-", "_").replace(" ", "_") for k in required_fields]
    policy.raise_problems("status", *keys)
    if not policy.in_force:
        skip(f"{policy.path} is {policy.status}")
    missing = [k for k in keys if is_blank(policy.value(k))]
    if not policy.has_front_matter:
        raise AssertionError(
            f"{policy.path} has no YAML front matter: start it with '---', then "
            f"{', '.join(keys)}, then '---'"
        )
    assert not missing, f"{policy.path} front matter lacks {', '.join(missing)}"


@documented_policies.check(
    "files.policy.reviewed",
    over="files_policies",
    severity="medium",
    evidence=["path", "status", "last_reviewed"],
    remediation=(
        "Review the policy, have it approved, and update last_reviewed (and version) in "
        "its front matter."
    ),
)
def files_policy_reviewed(policy: PolicyDocument, today: dt.date, max_age_days: int = 365) -> None:
    """The policy was reviewed within the last year (``max_age_days``, UTC).

    Judged from ``last_reviewed`` in the front matter. Drafts and retired or superseded
    policies are skipped.
    """
    policy.raise_problems("status", "last_reviewed")
    if not policy.in_force:
        skip(f"{policy.path} is {policy.status}")
    reviewed = policy.last_reviewed
    assert reviewed is not None, f"{policy.path} has no last_reviewed date in its front matter"
    age = age_in_days(reviewed, today)
    assert age >= -FUTURE_SLACK_DAYS, (
        f"{policy.path}: last_reviewed {reviewed.isoformat()} is in the future"
    )
    assert age <= max_age_days, (
        f"{policy.path} was last reviewed on {reviewed.isoformat()}, {age} days ago "
        f"(limit: {max_age_days} days)"
    )
