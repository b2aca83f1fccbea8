"""S3 checks against moto: pass, fail and not-applicable for each."""

from __future__ import annotations

import json
from typing import Any

from soc2checks_aws.clients import strip_account_prefix_handler

from .conftest import ACCOUNT, AwsEnv, statuses

ALL_ON = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def _s3control(aws: AwsEnv) -> Any:
    client = aws.client("s3control")
    client.meta.events.register("before-sign", strip_account_prefix_handler(aws.endpoint_url))
    return client


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _tls_deny(bucket: str) -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_account_public_access_block(aws: AwsEnv) -> None:
    found = aws.verdicts("aws.s3.account-public-access-block")
    assert statuses(found) == {ACCOUNT: "fail"}
    assert "no S3 Block Public Access configuration" in found[ACCOUNT].message
    _s3control(aws).put_public_access_block(
        AccountId=ACCOUNT,
        PublicAccessBlockConfiguration={**ALL_ON, "IgnorePublicAcls": False},
    )
    found = aws.verdicts("aws.s3.account-public-access-block")
    assert found[ACCOUNT].message.endswith("settings off: IgnorePublicAcls")
    _s3control(aws).put_public_access_block(
        AccountId=ACCOUNT, PublicAccessBlockConfiguration=ALL_ON
    )
    assert statuses(aws.verdicts("aws.s3.account-public-access-block")) == {ACCOUNT: "pass"}


def test_account_public_access_block_not_applicable_to_buckets(aws: AwsEnv) -> None:
    aws.client("s3").create_bucket(Bucket="some-bucket")
    assert set(aws.verdicts("aws.s3.account-public-access-block")) == {ACCOUNT}


def test_bucket_public_access_block_bucket_or_account_level(aws: AwsEnv) -> None:
    s3 = aws.client("s3")
    for b in ("blocked", "open", "half"):
        s3.create_bucket(Bucket=b)
    s3.put_public_access_block(Bucket="blocked", PublicAccessBlockConfiguration=ALL_ON)
    s3.put_public_access_block(
        Bucket="half", PublicAccessBlockConfiguration={**ALL_ON, "RestrictPublicBuckets": False}
    )
    found = aws.verdicts("aws.s3.bucket-public-access-block")
    assert statuses(found) == {"blocked": "pass", "open": "fail", "half": "fail"}
    assert found["half"].message.endswith("at bucket and account level: RestrictPublicBuckets")
    # the account-level setting covers what the bucket leaves off
    _s3control(aws).put_public_access_block(
        AccountId=ACCOUNT,
        PublicAccessBlockConfiguration={**ALL_ON, "BlockPublicAcls": False},
    )
    found = aws.verdicts("aws.s3.bucket-public-access-block")
    assert statuses(found) == {"blocked": "pass", "open": "fail", "half": "pass"}
    assert found["open"].message.endswith("BlockPublicAcls")


def test_bucket_checks_not_applicable_without_buckets(aws: AwsEnv) -> None:
    result = aws.run(
        "aws.s3.bucket-*", "aws.s3.default-encryption", "aws.s3.tls-only", "aws.s3.versioning"
    )
    assert result.findings == []


def test_bucket_not_public(aws: AwsEnv) -> None:
    s3 = aws.client("s3")
    for b in ("private", "policy-public", "acl-public", "vpc-only", "org-only"):
        s3.create_bucket(Bucket=b)
    s3.put_bucket_policy(
        Bucket="policy-public",
        Policy=_policy(
            {
                "Sid": "Website",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::policy-public/*",
            }
        ),
    )
    s3.put_bucket_acl(Bucket="acl-public", ACL="public-read")
    s3.put_bucket_policy(
        Bucket="vpc-only",
        Policy=_policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::vpc-only/*",
                "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
            }
        ),
    )
    s3.put_bucket_policy(
        Bucket="org-only",
        Policy=_policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::org-only/*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
            }
        ),
    )
    anyone = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
    open_ = {  # conditions that look restricting but let (almost) anyone in
        "outside-org": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        "not-ip": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        "any-arn": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:*"}},
        "any-org": {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
        "vpce-if-exists": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
        "all-values": {"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": "o-abc/r-1/"}},
    }
    for b, condition in open_.items():
        s3.create_bucket(Bucket=b)
        s3.put_bucket_policy(
            Bucket=b,
            Policy=_policy({**anyone, "Resource": f"arn:aws:s3:::{b}/*", "Condition": condition}),
        )
    s3.create_bucket(Bucket="not-principal")
    s3.put_bucket_policy(
        Bucket="not-principal",
        Policy=_policy(
            {
                "Effect": "Allow",
                "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::not-principal/*",
            }
        ),
    )
    s3.create_bucket(Bucket="account-arn")
    s3.put_bucket_policy(
        Bucket="account-arn",
        Policy=_policy(
            {
                **anyone,
                "Resource": "arn:aws:s3:::account-arn/*",
                "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}},
            }
        ),
    )
    found = aws.verdicts("aws.s3.bucket-not-public")
    assert statuses(found) == {
        "private": "pass",
        "policy-public": "fail",
        "acl-public": "fail",
        "vpc-only": "pass",
        "org-only": "pass",
        "account-arn": "pass",
        "not-principal": "fail",
        **dict.fromkeys(open_, "fail"),
    }
    assert (
        found["policy-public"].message == "bucket policy-public is public: policy statement Website"
    )
    assert "ACL grants READ to everyone (AllUsers)" in found["acl-public"].message


def _sse(algorithm: str, key: str | None = None) -> dict[str, Any]:
    default: dict[str, str] = {"SSEAlgorithm": algorithm}
    if key:
        default["KMSMasterKeyID"] = key
    return {"Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": False}]}


def test_default_encryption(aws: AwsEnv) -> None:
    # Since January 2023 every bucket reports at least SSE-S3, as real AWS does: the
    # moto buckets are configured that way, not left at moto's "not found".
    s3 = aws.client("s3")
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    for name, sse in (
        ("sse-s3", _sse("AES256")),
        ("kms", _sse("aws:kms", key)),
        ("dsse", _sse("aws:kms:dsse", key)),
    ):
        s3.create_bucket(Bucket=name)
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=sse)
    found = aws.verdicts("aws.s3.default-encryption")
    assert statuses(found) == {"sse-s3": "pass", "kms": "pass", "dsse": "pass"}
    assert found["sse-s3"].criteria == ("CC6.1", "C1.1")
    # the algorithm and the key are in the evidence and the message
    assert found["sse-s3"].evidence["algorithms"] == ["AES256"]
    assert found["kms"].evidence["algorithms"] == ["aws:kms"]
    assert found["kms"].evidence["kms_key_ids"] == [key]
    assert found["kms"].message == ""  # checks return nothing: the evidence says what passed
    # a company whose commitments require KMS keys fails SSE-S3
    found = aws.verdicts(
        "aws.s3.default-encryption",
        params={"aws.s3.default-encryption": {"allowed_algorithms": ["aws:kms", "aws:kms:dsse"]}},
    )
    assert statuses(found) == {"sse-s3": "fail", "kms": "pass", "dsse": "pass"}
    assert found["sse-s3"].message == (
        "bucket sse-s3 encrypts by default with AES256, not one of the allowed algorithms "
        "(aws:kms, aws:kms:dsse)"
    )
    assert found["sse-s3"].evidence["algorithms"] == ["AES256"]


def test_tls_only(aws: AwsEnv) -> None:
    s3 = aws.client("s3")
    for b in ("no-policy", "tls", "other-policy", "tls-bool", "bucket-only", "prefix", "glob"):
        s3.create_bucket(Bucket=b)
    s3.put_bucket_policy(
        Bucket="bucket-only",
        Policy=_policy({**_tls_deny("bucket-only"), "Resource": "arn:aws:s3:::bucket-only"}),
    )
    s3.put_bucket_policy(
        Bucket="prefix",
        Policy=_policy(
            {**_tls_deny("prefix"), "Resource": ["arn:aws:s3:::prefix", "arn:aws:s3:::prefix/a/*"]}
        ),
    )
    s3.put_bucket_policy(
        Bucket="glob", Policy=_policy({**_tls_deny("glob"), "Resource": "arn:aws:s3:::glob*"})
    )
    s3.put_bucket_policy(Bucket="tls", Policy=_policy(_tls_deny("tls")))
    s3.put_bucket_policy(
        Bucket="tls-bool",
        Policy=_policy(
            {
                **_tls_deny("tls-bool"),
                "Action": "*",
                "Condition": {"Bool": {"aws:SecureTransport": False}},
            }
        ),
    )
    s3.put_bucket_policy(
        Bucket="other-policy",
        Policy=_policy(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:DeleteBucket",
                "Resource": "arn:aws:s3:::other-policy",
            }
        ),
    )
    found = aws.verdicts("aws.s3.tls-only")
    assert statuses(found) == {
        "no-policy": "fail",
        "tls": "pass",
        "tls-bool": "pass",
        "other-policy": "fail",
        "bucket-only": "fail",  # objects can still be read and written without TLS
        "prefix": "fail",
        "glob": "pass",
    }
    assert "has no bucket policy" in found["no-policy"].message
    assert "does not deny requests without TLS" in found["other-policy"].message


def test_versioning(aws: AwsEnv) -> None:
    s3 = aws.client("s3")
    for b in ("never", "on-1", "suspended"):
        s3.create_bucket(Bucket=b)
    s3.put_bucket_versioning(Bucket="on-1", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket="suspended", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket="suspended", VersioningConfiguration={"Status": "Suspended"})
    found = aws.verdicts("aws.s3.versioning")
    assert statuses(found) == {"never": "fail", "on-1": "pass", "suspended": "fail"}
    assert found["suspended"].message == "bucket suspended has versioning suspended"
    assert found["never"].message == "bucket never has versioning never enabled"


def test_each_bucket_attribute_is_fetched_once_and_only_when_needed(aws: AwsEnv) -> None:
    s3 = aws.client("s3")
    for i in range(5):
        s3.create_bucket(Bucket=f"bucket-{i}")
    aws.server.reset_counts()
    aws.run("aws.s3.versioning")
    counts = aws.server.counts
    assert counts["s3:GetBucketVersioning"] == 5
    assert counts["s3:ListBuckets"] == 1
    assert not any(
        op in counts for op in ("s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:GetBucketEncryption")
    )
    aws.server.reset_counts()
    # two checks read the policy: it is fetched once per bucket all the same
    aws.run("aws.s3.tls-only", "aws.s3.bucket-not-public")
    counts = aws.server.counts
    assert counts["s3:GetBucketPolicy"] == 5
    assert counts["s3:GetBucketAcl"] == 5
    assert counts["s3:ListBuckets"] == 1


def test_list_buckets_paginates_with_a_page_size(aws: AwsEnv) -> None:
    """ListBuckets is paginated (MaxBuckets), and a full page without a
    ContinuationToken is not taken as the whole list: moto answers MaxBuckets=2 with 2
    buckets and no token (it truncates silently), so the provider's check with one
    unpaginated ListBuckets is what finds the other 3."""
    s3 = aws.client("s3")
    for i in range(5):
        s3.create_bucket(Bucket=f"bulk-{i}")
    aws.server.reset_counts()
    found = aws.verdicts("aws.s3.versioning", settings={"list_buckets_page_size": 2})
    assert sorted(found) == [f"bulk-{i}" for i in range(5)]
    assert aws.server.counts["s3:ListBuckets"] == 2  # the page, then the check
    aws.server.reset_counts()
    found = aws.verdicts("aws.s3.versioning", settings={"list_buckets_page_size": 10})
    assert len(found) == 5
    assert aws.server.counts["s3:ListBuckets"] == 1
