"""What policy documents mean: one table per reading, in controls/_policy.py (no AWS)."""

from __future__ import annotations

from typing import Any

import pytest

from soc2checks_controls._policy import (
    Trust,
    denies_insecure_transport,
    grants_full_admin,
    public_statements,
    trusted_accounts,
)

ACCOUNT = "111122223333"


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


ADMIN = [
    ({"Effect": "Allow", "Action": "*", "Resource": "*"}, True),
    ({"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": ["*"]}, True),
    ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, True),
    ({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}, True),
    ({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::logs/*"}, True),
    ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}, False),
    ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"}, False),
    ({"Effect": "Deny", "Action": "*", "Resource": "*"}, False),
    ({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}, False),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, False),
    ({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}, False),
]


@pytest.mark.parametrize(("statement", "admin"), ADMIN)
def test_admin(statement: dict[str, Any], admin: bool) -> None:
    assert grants_full_admin(_doc(statement)) is admin
    assert grants_full_admin({"Statement": statement}) is admin  # a lone statement object


def test_admin_of_nothing() -> None:
    assert not grants_full_admin(None)
    assert not grants_full_admin({})


PUBLIC = [
    # (principal, condition, public)
    ("*", None, True),
    ({"AWS": "*"}, None, True),
    ({"AWS": ["*"]}, None, True),
    ({"CanonicalUser": "*"}, None, True),
    ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, None, False),
    ({"Service": "cloudfront.amazonaws.com"}, None, False),
    ("*", {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, True),
    ("*", {"IpAddress": {"aws:SourceIp": "::/0"}}, True),
    ("*", {"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}, True),
    ("*", {"IpAddress": {"aws:SourceIp": "0.0.0.0/7"}}, True),
    ("*", {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, False),
    ("*", {"IpAddress": {"aws:SourceIp": "2000::/12"}}, True),
    ("*", {"IpAddress": {"aws:SourceIp": "2000::/15"}}, True),
    ("*", {"IpAddress": {"aws:SourceIp": "2001:db8::/16"}}, False),
    ("*", {"IpAddress": {"aws:SourceIp": "not-an-address"}}, True),
    ("*", {"StringEquals": {"aws:SourceAccount": ""}}, True),
    ("*", {"StringEquals": {"aws:SourceAccount": "*"}}, True),
    ("*", {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}, False),
    ("*", {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/0"]}}, True),
    ("*", {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, True),
    ("*", {"StringEquals": {"aws:SourceIp": "203.0.113.0/24"}}, True),  # wrong operator type
    ("*", {"StringEquals": {"aws:SourceAccount": ACCOUNT}}, False),
    ("*", {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, False),
    ("*", {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}, True),
    ("*", {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}, True),
    ("*", {"StringLike": {"aws:PrincipalOrgID": "*"}}, True),
    ("*", {"StringLike": {"aws:PrincipalOrgID": "o-*"}}, True),
    ("*", {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, False),
    ("*", {"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, True),
    ("*", {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:*"}}, True),
    ("*", {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}, True),
    ("*", {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam:::role/admin"}}, True),
    ("*", {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::aws:role/admin"}}, True),
    ("*", {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}}, False),
    (
        "*",
        {"ArnEquals": {"aws:SourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/E1"}},
        False,
    ),
    ("*", {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}}, True),
    ("*", {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-abc/r-1/ou-*"}}, False),
    ("*", {"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": "o-abc/r-1/ou-*"}}, True),
    ("*", {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "*/r-1/*"}}, True),
    ("*", {"StringEquals": {"s3:prefix": "public/"}}, True),  # not about who asks
    ("*", {"Null": {"aws:PrincipalOrgID": "false"}}, True),
    ("*", {"Bool": {"aws:SecureTransport": "true"}}, True),
]


@pytest.mark.parametrize(("principal", "condition", "public"), PUBLIC)
def test_public(principal: Any, condition: dict[str, Any] | None, public: bool) -> None:
    s: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject"}
    if condition:
        s["Condition"] = condition
    assert bool(public_statements(_doc(s))) is public


def test_public_names_statements_and_judges_not_principal() -> None:
    doc = _doc(
        {"Sid": "Site", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
        {"Effect": "Allow", "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "*"},
        {"Effect": "Deny", "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "*"},
    )
    assert public_statements(doc) == ["Site", "statement 2"]
    assert public_statements(None) == []


BUCKET = "data"


def _tls(resource: Any, **over: Any) -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        **over,
    }


TLS = [
    ([_tls([f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"])], True),
    ([_tls(f"arn:aws:s3:::{BUCKET}"), _tls(f"arn:aws:s3:::{BUCKET}/*")], True),
    ([_tls(f"arn:aws:s3:::{BUCKET}*")], True),
    ([_tls("*")], True),
    ([_tls("arn:aws:s3:::*")], True),
    ([_tls([f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"], Principal={"AWS": "*"})], True),
    (
        [
            _tls(
                [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
                Condition={"BoolIfExists": {"aws:SecureTransport": ["false"]}},
            )
        ],
        True,
    ),
    ([_tls(f"arn:aws:s3:::{BUCKET}")], False),  # the bucket only, not its objects
    ([_tls(f"arn:aws:s3:::{BUCKET}/*")], False),  # the objects only
    ([_tls([f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/private/*"])], False),
    ([_tls(["arn:aws:s3:::other", "arn:aws:s3:::other/*"])], False),
    ([_tls("*", Action="s3:GetObject")], False),
    ([_tls("*", Effect="Allow")], False),
    ([_tls("*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})], False),
    ([_tls("*", Condition={"Bool": {"aws:SecureTransport": "true"}})], False),
    ([_tls("*", Condition={"StringEquals": {"aws:SecureTransport": "false"}})], False),
]


@pytest.mark.parametrize(("stmts", "tls_only"), TLS)
def test_tls_only(stmts: list[dict[str, Any]], tls_only: bool) -> None:
    assert denies_insecure_transport(_doc(*stmts), BUCKET) is tls_only


def test_tls_only_without_a_policy() -> None:
    assert not denies_insecure_transport(None, BUCKET)


VENDOR = f"arn:aws:iam::{ACCOUNT}:root"
TRUST = [
    # (principal key, principal, condition, expected trusts)
    ("Principal", {"AWS": VENDOR}, None, [Trust(ACCOUNT, False)]),
    (
        "Principal",
        {"AWS": VENDOR},
        {"StringEquals": {"sts:ExternalId": "x-123"}},
        [Trust(ACCOUNT, True)],
    ),
    (
        "Principal",
        {"AWS": VENDOR},
        {"StringLike": {"sts:ExternalId": "*"}},
        [Trust(ACCOUNT, False)],
    ),
    (
        "Principal",
        {"AWS": VENDOR},
        {"StringLike": {"sts:ExternalId": "x-*"}},
        [Trust(ACCOUNT, False)],
    ),
    (
        "Principal",
        {"AWS": VENDOR},
        {"StringLike": {"sts:ExternalId": "x-1"}},
        [Trust(ACCOUNT, True)],
    ),
    (
        "Principal",
        {"AWS": VENDOR},
        {"StringEquals": {"sts:ExternalId": "*"}},
        [Trust(ACCOUNT, False)],
    ),
    (
        "Principal",
        {"AWS": VENDOR},
        {"StringEqualsIfExists": {"sts:ExternalId": "x"}},
        [Trust(ACCOUNT, False)],
    ),
    ("Principal", {"AWS": VENDOR}, {"Null": {"sts:ExternalId": "false"}}, [Trust(ACCOUNT, False)]),
    (
        "Principal",
        {"AWS": VENDOR},
        {"StringNotEquals": {"sts:ExternalId": "x"}},
        [Trust(ACCOUNT, False)],
    ),
    ("Principal", "*", {"StringEquals": {"sts:ExternalId": "x"}}, [Trust("*", False)]),
    ("Principal", {"AWS": "*"}, {"StringEquals": {"sts:ExternalId": "x"}}, [Trust("*", False)]),
    (
        "NotPrincipal",
        {"AWS": VENDOR},
        {"StringEquals": {"sts:ExternalId": "x"}},
        [Trust("*", False)],
    ),
    (
        "Principal",
        {"AWS": ["444455556666", VENDOR]},
        None,
        [Trust("444455556666", False), Trust(ACCOUNT, False)],
    ),
    ("Principal", {"AWS": "arn:aws:iam::444455556666"}, None, [Trust("444455556666", False)]),
    # forms we do not understand count as anyone: a unique ID, a malformed ARN
    ("Principal", {"AWS": "AIDAJQABLZS4A3QDU576Q"}, None, [Trust("*", False)]),
    ("Principal", {"AWS": "arn:aws:iam:bad"}, None, [Trust("*", False)]),
    ("Principal", {"AWS": "arn:aws:iam:::root"}, None, [Trust("*", False)]),
    ("Principal", {"Service": "lambda.amazonaws.com"}, None, []),
    ("Principal", {"Federated": "arn:aws:iam::1:saml-provider/x"}, None, []),
]


@pytest.mark.parametrize(("key", "principal", "condition", "trusts"), TRUST)
def test_trust(key: str, principal: Any, condition: Any, trusts: list[Trust]) -> None:
    s: dict[str, Any] = {"Effect": "Allow", key: principal, "Action": "sts:AssumeRole"}
    if condition:
        s["Condition"] = condition
    assert trusted_accounts(_doc(s)) == trusts


def test_trust_with_not_action_counts_and_trusts_are_values() -> None:
    s = {"Effect": "Allow", "Principal": {"AWS": VENDOR}, "NotAction": "sts:TagSession"}
    trusts = trusted_accounts(_doc(s))
    assert trusts == [Trust(ACCOUNT, False)]
    assert len({*trusts, Trust(ACCOUNT, False)}) == 1  # hashable, immutable values


def test_trust_ignores_deny_and_other_actions() -> None:
    deny = {"Effect": "Deny", "Principal": {"AWS": VENDOR}, "Action": "sts:AssumeRole"}
    tag = {"Effect": "Allow", "Principal": {"AWS": VENDOR}, "Action": "sts:TagSession"}
    assert trusted_accounts(_doc(deny, tag)) == []
    assert trusted_accounts(None) == []
