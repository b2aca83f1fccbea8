"""Reading IAM policy documents: pure functions shared by fetchers and checks."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

AWS_ADMIN_POLICY_ARNS = frozenset(
    {
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
        "arn:aws-cn:iam::aws:policy/AdministratorAccess",
    }
)


def normalize_document(doc: Any) -> dict[str, Any]:
    """A policy document as a dict (botocore usually decodes it; strings are URL-encoded JSON)."""
    if isinstance(doc, dict):
        return doc
    if isinstance(doc, str) and doc.strip():
        text = doc if doc.lstrip().startswith("{") else unquote(doc)
        try:
            value = json.loads(text)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in as_list(doc.get("Statement")) if isinstance(s, dict)]


def grants_full_admin(doc: dict[str, Any]) -> bool:
    """True when a statement allows action ``*`` on resource ``*`` (without NotAction)."""
    for s in statements(doc):
        if s.get("Effect") != "Allow" or "NotAction" in s or "NotResource" in s:
            continue
        actions = as_list(s.get("Action"))
        resources = as_list(s.get("Resource"))
        if any(a in ("*", "*:*") for a in actions) and "*" in resources:
            return True
    return False


# Condition keys that pin a wildcard principal to known callers, networks or accounts:
# a statement restricted by one of them (with a concrete value) is not public.
RESTRICTING_CONDITION_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:SourceIp",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOwner",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:userid",
    )
)


def _wildcard_principal(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        for key in ("AWS", "CanonicalUser"):
            if "*" in as_list(principal.get(key)):
                return True
    return False


def _restricted(condition: Any) -> bool:
    if not isinstance(condition, dict):
        return False
    for operator, pairs in condition.items():
        if not isinstance(pairs, dict) or str(operator).lower().startswith("null"):
            continue
        for key, values in pairs.items():
            if str(key).lower() in RESTRICTING_CONDITION_KEYS:
                vals = [str(v) for v in as_list(values)]
                if vals and not any(v == "*" or v == "0.0.0.0/0" or v == "::/0" for v in vals):
                    return True
    return False


def public_statements(doc: dict[str, Any] | None) -> list[str]:
    """Statements of a resource policy that allow anyone (``*``) without a restriction."""
    if not doc:
        return []
    found: list[str] = []
    for i, s in enumerate(statements(doc)):
        if s.get("Effect") != "Allow":
            continue
        if _wildcard_principal(s.get("Principal")) and not _restricted(s.get("Condition")):
            found.append(str(s.get("Sid") or f"statement {i + 1}"))
    return found


def _is_false(value: Any) -> bool:
    return any(str(v).lower() == "false" for v in as_list(value))


def denies_insecure_transport(doc: dict[str, Any] | None) -> bool:
    """True when a statement denies all S3 actions to anyone without TLS (SecureTransport false)."""
    if not doc:
        return False
    for s in statements(doc):
        if s.get("Effect") != "Deny" or not _wildcard_principal(s.get("Principal")):
            continue
        actions = [str(a).lower() for a in as_list(s.get("Action"))]
        if not any(a in ("*", "s3:*") for a in actions):
            continue
        condition = s.get("Condition") or {}
        for operator, pairs in condition.items():
            if str(operator) not in ("Bool", "BoolIfExists") or not isinstance(pairs, dict):
                continue
            for key, value in pairs.items():
                if str(key).lower() == "aws:securetransport" and _is_false(value):
                    return True
    return False
