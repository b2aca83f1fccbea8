"""Parsing IAM answers into models: pure functions, no SDK, no judgement.

Each judged field AWS did not return (or returned unparseable) is recorded in the
model's ``missing_fields``; see :mod:`soc2checks_aws._parse`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from soc2checks_aws._parse import Answer, csv_flag, csv_when, policy_document
from soc2checks_aws.models import (
    AccessKey,
    AccountSummary,
    AttachedPolicy,
    CredentialReportUser,
    IamGroup,
    IamRole,
    IamUserPolicies,
    InlinePolicy,
    ManagedPolicy,
    PasswordPolicy,
)

ROOT_ROW = "<root_account>"
_EPOCH = dt.datetime.fromtimestamp(0, dt.timezone.utc)


def parse_account_summary(account_id: str, answer: Mapping[str, Any]) -> AccountSummary:
    """``iam:GetAccountSummary``: the root user's MFA and access-key flags."""
    a = Answer(answer.get("SummaryMap"), "SummaryMap.")
    return AccountSummary(
        account_id=account_id,
        root_mfa_enabled=a.flag("root_mfa_enabled", "AccountMFAEnabled"),
        root_access_keys_present=a.flag("root_access_keys_present", "AccountAccessKeysPresent"),
        missing_fields=a.missing,
    )


def parse_password_policy(account_id: str, answer: Mapping[str, Any] | None) -> PasswordPolicy:
    """``iam:GetAccountPasswordPolicy`` (``None``: the account has no policy).

    AWS always returns the length and character rules of a policy; reuse
    prevention and maximum age are absent when not set, which means "off".
    """
    if answer is None:
        return PasswordPolicy(account_id=account_id, exists=False)
    a = Answer(answer.get("PasswordPolicy"), "PasswordPolicy.")
    p = a.data
    return PasswordPolicy(
        account_id=account_id,
        exists=True,
        minimum_length=a.integer("minimum_length", "MinimumPasswordLength"),
        password_reuse_prevention=p.get("PasswordReusePrevention"),
        require_symbols=a.flag("require_symbols", "RequireSymbols"),
        require_numbers=a.flag("require_numbers", "RequireNumbers"),
        require_uppercase=a.flag("require_uppercase", "RequireUppercaseCharacters"),
        require_lowercase=a.flag("require_lowercase", "RequireLowercaseCharacters"),
        max_password_age=p.get("MaxPasswordAge"),
        missing_fields=a.missing,
    )


def parse_credential_report(account_id: str, content: str) -> list[CredentialReportUser]:
    """The IAM users of a credential report CSV; the root row is left out."""
    users: list[CredentialReportUser] = []
    for row in csv.DictReader(io.StringIO(content)):
        name = row.get("user") or ""
        arn = row.get("arn") or ""
        if not name or name == ROOT_ROW or arn.endswith(":root"):
            continue
        a = Answer(None)
        created = csv_when(row, "created", "user_creation_time", a)
        if created is None:
            a.mark("created", "user_creation_time")
        fields: dict[str, Any] = {
            "password_enabled": csv_flag(row, "password_enabled", "password_enabled", a),
            "password_last_used": csv_when(row, "password_last_used", "password_last_used", a),
            "password_last_changed": csv_when(
                row, "password_last_changed", "password_last_changed", a
            ),
            "mfa_active": csv_flag(row, "mfa_active", "mfa_active", a),
        }
        for n in (1, 2):
            key = f"access_key_{n}"
            fields[f"{key}_active"] = csv_flag(row, f"{key}_active", f"{key}_active", a)
            fields[f"{key}_last_rotated"] = csv_when(
                row, f"{key}_last_rotated", f"{key}_last_rotated", a
            )
            fields[f"{key}_last_used"] = csv_when(
                row, f"{key}_last_used", f"{key}_last_used_date", a
            )
        users.append(
            CredentialReportUser(
                account_id=account_id,
                name=name,
                arn=arn,
                created=created or _EPOCH,
                missing_fields=a.missing,
                **fields,
            )
        )
    return users


def access_keys(users: list[CredentialReportUser]) -> list[AccessKey]:
    """Every access key slot in use (active, rotated once, or unreadable): never dropped."""
    keys: list[AccessKey] = []
    for u in users:
        for slot in (1, 2):
            prefix = f"access_key_{slot}"
            rename = {
                f"{prefix}_active": "active",
                f"{prefix}_last_rotated": "last_rotated",
                f"{prefix}_last_used": "last_used",
            }
            missing = {rename[k]: v for k, v in u.missing_fields.items() if k in rename}
            active: bool = getattr(u, f"{prefix}_active")
            rotated: dt.datetime | None = getattr(u, f"{prefix}_last_rotated")
            if not active and rotated is None and not missing:
                continue  # the slot holds no key
            keys.append(
                AccessKey(
                    account_id=u.account_id,
                    user_name=u.name,
                    user_arn=u.arn,
                    slot=slot,
                    active=active,
                    last_rotated=rotated,
                    last_used=getattr(u, f"{prefix}_last_used"),
                    missing_fields=missing,
                )
            )
    return keys


def _default_document(policy: Mapping[str, Any]) -> dict[str, Any] | None:
    default = policy.get("DefaultVersionId")
    for version in policy.get("PolicyVersionList") or []:
        if version.get("IsDefaultVersion") or version.get("VersionId") == default:
            return policy_document(version.get("Document"))
    return None


def parse_managed_policies(account_id: str, policies: list[dict[str, Any]]) -> list[ManagedPolicy]:
    """Customer-managed policies with their default version's document."""
    out: list[ManagedPolicy] = []
    for p in policies:
        a = Answer(p)
        doc = _default_document(p)
        if doc is None:
            a.mark("document", "the default version's Document (absent or not a JSON policy)")
        out.append(
            ManagedPolicy(
                account_id=account_id,
                name=p.get("PolicyName") or p["Arn"].rsplit("/", 1)[-1],
                arn=p["Arn"],
                attachment_count=a.integer("attachment_count", "AttachmentCount"),
                document=doc or {},
                missing_fields=a.missing,
            )
        )
    return out


def _inline(entries: Any, attr: str, answer: Answer) -> list[InlinePolicy]:
    out: list[InlinePolicy] = []
    for p in entries or []:
        name = p.get("PolicyName", "")
        doc = policy_document(p.get("PolicyDocument"))
        if doc is None:
            answer.mark(attr, f"PolicyDocument of inline policy {name} (not a JSON policy)")
        out.append(InlinePolicy(name=name, document=doc or {}))
    return out


def _attached(
    entries: Any, documents: Mapping[str, dict[str, Any] | None], attr: str, answer: Answer
) -> list[AttachedPolicy]:
    out: list[AttachedPolicy] = []
    for a in entries or []:
        arn = a.get("PolicyArn", "")
        policy = AttachedPolicy(name=a.get("PolicyName", ""), arn=arn)
        if not policy.aws_managed:
            if arn not in documents or documents[arn] is None:
                answer.mark(attr, f"the default version's Document of {arn}")
            policy = policy.model_copy(update={"document": documents.get(arn) or {}})
        out.append(policy)
    return out


def parse_groups(
    account_id: str, groups: list[dict[str, Any]], policies: list[dict[str, Any]]
) -> dict[str, IamGroup]:
    """Every group by name, with its inline and attached policies (each parsed once)."""
    documents = {p["Arn"]: _default_document(p) for p in policies}
    out: dict[str, IamGroup] = {}
    for g in groups:
        a = Answer(g)
        inline = _inline(g.get("GroupPolicyList"), "inline_policies", a)
        attached = _attached(g.get("AttachedManagedPolicies"), documents, "attached_policies", a)
        out[g.get("GroupName", "")] = IamGroup(
            account_id=account_id,
            name=g.get("GroupName", ""),
            arn=g.get("Arn", ""),
            inline_policies=inline,
            attached_policies=attached,
            missing_fields=a.missing,
        )
    return out


def parse_user_policies(
    account_id: str,
    users: list[dict[str, Any]],
    groups: list[dict[str, Any]],
    policies: list[dict[str, Any]],
) -> list[IamUserPolicies]:
    """Each IAM user with its inline, attached and group policies (no judgement)."""
    documents = {p["Arn"]: _default_document(p) for p in policies}
    by_name = parse_groups(account_id, groups, policies)
    out: list[IamUserPolicies] = []
    for u in users:
        a = Answer(u)
        names = list(u.get("GroupList") or [])
        mine = []
        for n in names:
            group = by_name.get(n)
            if group is None:
                a.mark("group_policies", f"GroupDetailList entry of group {n}")
                continue
            for attr, api in group.missing_fields.items():
                a.mark("group_policies", f"{api} (group {n}, {attr})")
            mine.append(group)
        out.append(
            IamUserPolicies(
                account_id=account_id,
                name=u.get("UserName", ""),
                arn=u["Arn"],
                inline_policies=_inline(u.get("UserPolicyList"), "inline_policies", a),
                attached_policies=_attached(
                    u.get("AttachedManagedPolicies"), documents, "attached_policies", a
                ),
                groups=names,
                group_policies=mine,
                missing_fields=a.missing,
            )
        )
    return out


def parse_roles(account_id: str, roles: list[dict[str, Any]]) -> list[IamRole]:
    """Every IAM role with its trust policy."""
    out: list[IamRole] = []
    for r in roles:
        a = Answer(r)
        doc = policy_document(r.get("AssumeRolePolicyDocument"))
        if doc is None:
            a.mark("trust_policy", "AssumeRolePolicyDocument (absent or not a JSON policy)")
        out.append(
            IamRole(
                account_id=account_id,
                name=r.get("RoleName", ""),
                arn=r["Arn"],
                path=r.get("Path", "/"),
                trust_policy=doc or {},
                missing_fields=a.missing,
            )
        )
    return out
