"""What an IAM policy document means: pure judgement, shared by the AWS checks.

Providers only fetch and normalise documents (a JSON object, or missing data); every
reading of what a document grants lives here, table-tested in ``tests/aws/test_policy.py``:

- :func:`grants_full_admin`: an identity policy gives administrator access;
- :func:`public_statements`: a resource policy lets anyone in;
- :func:`denies_insecure_transport`: a bucket policy refuses requests without TLS on
  the bucket and every object;
- :func:`trusted_accounts`: who a role's trust policy lets assume it, and whether an
  external ID is enforced.

Readings fail closed: a form not understood counts as granting, not as restricting.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

AWS_ADMIN_POLICY_ARNS = frozenset(
    {
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
        "arn:aws-cn:iam::aws:policy/AdministratorAccess",
    }
)

_PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(doc: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The statements of a document (a lone statement object counts as a list of one)."""
    if not doc:
        return []
    return [s for s in as_list(doc.get("Statement")) if isinstance(s, dict)]


def _allows(s: dict[str, Any]) -> bool:
    return s.get("Effect") == "Allow"


# -- administrator access ---------------------------------------------------------


def grants_full_admin(doc: dict[str, Any] | None) -> bool:
    """True when a statement allows every action, or all but some (``NotAction``), on ``*``.

    ``Allow`` + ``NotAction`` on every resource grants everything not listed (IAM
    included, unless listed), which is administrator access in all but name;
    ``NotResource`` with every action likewise.
    """
    for s in statements(doc):
        if not _allows(s):
            continue
        every_action = "NotAction" in s or any(a in ("*", "*:*") for a in as_list(s.get("Action")))
        every_resource = "NotResource" in s or "*" in as_list(s.get("Resource"))
        if every_action and every_resource:
            return True
    return False


# -- public resource policies -------------------------------------------------------

# Condition keys that pin a request to known callers, networks or accounts.
_ARN_KEYS = frozenset({"aws:sourcearn", "aws:principalarn"})
_IP_KEYS = frozenset({"aws:sourceip"})
_PATH_KEYS = frozenset({"aws:principalorgpaths", "aws:sourceorgpaths", "aws:userid"})
_ID_KEYS = frozenset(
    {
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:principalaccount",
        "aws:principalorgid",
    }
)
RESTRICTING_CONDITION_KEYS = _ARN_KEYS | _IP_KEYS | _PATH_KEYS | _ID_KEYS

# Operators that match only the listed values. Negated operators ("everyone except"),
# ``...IfExists`` (true when the key is absent, as it is on anonymous requests) and
# ``ForAllValues:`` (true when the key is absent) never restrict.
_POSITIVE_STRING = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}
)
_POSITIVE_IP = frozenset({"ipaddress"})


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


def _restricting_value(key: str, value: str) -> bool:
    """A value of a restricting key that names something specific."""
    if not value:
        return False
    if key in _IP_KEYS:
        try:
            net = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return False
        return net.prefixlen >= (8 if net.version == 4 else 16)
    if key in _ARN_KEYS:
        parts = value.split(":")
        # arn:partition:service:region:account:resource; the account must be concrete
        return len(parts) >= 6 and parts[4] != "" and not _wild(parts[4]) and parts[4] != "aws"
    if key in _PATH_KEYS:
        head = re.split(r"[/:]", value, maxsplit=1)[0]
        return bool(head) and not _wild(head)
    return not _wild(value)


def _restricted(condition: Any) -> bool:
    """True when some condition limits the statement to named accounts, networks or callers."""
    if not isinstance(condition, dict):
        return False
    for operator, pairs in condition.items():
        op = str(operator).lower()
        if op.startswith("foranyvalue:"):
            op = op.removeprefix("foranyvalue:")
        if op not in _POSITIVE_STRING and op not in _POSITIVE_IP:
            continue
        if not isinstance(pairs, dict):
            continue
        for key, values in pairs.items():
            k = str(key).lower()
            if k not in RESTRICTING_CONDITION_KEYS:
                continue
            if (k in _IP_KEYS) != (op in _POSITIVE_IP):
                continue
            vals = [str(v) for v in as_list(values)]
            if vals and all(_restricting_value(k, v) for v in vals):
                return True
    return False


def _anyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        for key in ("AWS", "CanonicalUser"):
            if "*" in as_list(principal.get(key)):
                return True
    return False


def _label(s: dict[str, Any], i: int) -> str:
    return str(s.get("Sid") or f"statement {i + 1}")


def public_statements(doc: dict[str, Any] | None) -> list[str]:
    """Statements of a resource policy that allow anyone without a restriction.

    Anyone is ``Principal: "*"`` (or ``{"AWS": "*"}``) or ``NotPrincipal`` (everyone
    but the listed principals). A restriction is a positive condition operator on a
    key that names accounts, organizations, networks or callers, with specific
    values (no ``*`` in an account, organization or ID; no ``0.0.0.0/0``).
    """
    found: list[str] = []
    for i, s in enumerate(statements(doc)):
        if not _allows(s):
            continue
        if not ("NotPrincipal" in s or _anyone(s.get("Principal"))):
            continue
        if not _restricted(s.get("Condition")):
            found.append(_label(s, i))
    return found


# -- TLS only -----------------------------------------------------------------------


def _glob(pattern: str, text: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text) is not None


def _covers(resources: list[str], target: str) -> bool:
    return any(_glob(str(r), target) for r in resources)


def _is_false(value: Any) -> bool:
    return any(str(v).lower() == "false" for v in as_list(value))


def denies_insecure_transport(doc: dict[str, Any] | None, bucket: str) -> bool:
    """True when statements deny all S3 actions without TLS on the bucket and every object.

    A statement with ``Effect: Deny``, any principal, ``Action`` ``s3:*`` (or ``*``),
    ``Bool`` (or ``BoolIfExists``) ``aws:SecureTransport`` false; together such
    statements must cover ``arn:aws:s3:::bucket`` and ``arn:aws:s3:::bucket/*``.
    """
    bucket_covered = objects_covered = False
    for s in statements(doc):
        if s.get("Effect") != "Deny" or not _anyone(s.get("Principal")):
            continue
        if not any(str(a).lower() in ("*", "s3:*") for a in as_list(s.get("Action"))):
            continue
        condition = s.get("Condition") or {}
        insecure = isinstance(condition, dict) and any(
            str(op) in ("Bool", "BoolIfExists")
            and isinstance(pairs, dict)
            and any(
                str(k).lower() == "aws:securetransport" and _is_false(v) for k, v in pairs.items()
            )
            for op, pairs in condition.items()
        )
        if not insecure:
            continue
        resources = [str(r) for r in as_list(s.get("Resource"))]
        for p in _PARTITIONS:
            # the literal "/*" stands for every key: only a pattern covering all matches it
            bucket_covered |= _covers(resources, f"arn:{p}:s3:::{bucket}")
            objects_covered |= _covers(resources, f"arn:{p}:s3:::{bucket}/*")
    return bucket_covered and objects_covered


# -- role trust -----------------------------------------------------------------------


@dataclass(frozen=True)
class Trust:
    """One AWS account (or ``*``: anyone) a trust policy lets assume the role."""

    account: str
    external_id: bool
    """An ``sts:ExternalId`` condition with specific values is enforced."""


def _external_id_enforced(condition: Any) -> bool:
    if not isinstance(condition, dict):
        return False
    for operator, pairs in condition.items():
        op = str(operator).lower()
        if op not in ("stringequals", "stringequalsignorecase", "stringlike"):
            continue
        if not isinstance(pairs, dict):
            continue
        for key, values in pairs.items():
            if str(key).lower() != "sts:externalid":
                continue
            vals = [str(v) for v in as_list(values)]
            wild = _wild if op == "stringlike" else (lambda v: v == "*")
            if vals and all(v and not wild(v) for v in vals):
                return True
    return False


def _assumes(s: dict[str, Any]) -> bool:
    if "NotAction" in s:
        return True
    return any(str(a).lower() in ("*", "sts:*", "sts:assumerole") for a in as_list(s.get("Action")))


def _account_of(value: str) -> str:
    if value == "*" or value.isdigit():
        return value
    parts = value.split(":")
    if value.startswith("arn:") and len(parts) > 4 and parts[4]:
        return parts[4]
    return "*"  # a form we do not understand counts as anyone


def trusted_accounts(doc: dict[str, Any] | None) -> list[Trust]:
    """The AWS accounts a trust policy lets assume the role, with external-ID enforcement.

    ``Principal: "*"`` and ``NotPrincipal`` (everyone but the listed) are ``*``, whose
    external ID never counts: an external ID is not a secret. Service and federated
    principals are not accounts. ``StringLike`` with a wildcard, ``...IfExists`` and
    ``Null`` do not enforce an external ID.
    """
    out: list[Trust] = []
    for s in statements(doc):
        if not _allows(s) or not _assumes(s):
            continue
        enforced = _external_id_enforced(s.get("Condition"))
        principal = s.get("Principal")
        if "NotPrincipal" in s or principal == "*":
            out.append(Trust("*", False))
            continue
        if not isinstance(principal, dict):
            continue
        for v in as_list(principal.get("AWS")):
            account = _account_of(str(v))
            out.append(Trust(account, enforced and account != "*"))
    return out
