"""S3 fixtures: the bucket list, then one fixture per bucket attribute a check reads.

Each attribute is its own fixture so that running one check calls only the API it
needs (``aws.s3.versioning`` never asks for bucket policies). Per-bucket calls run
concurrently; a failure on one bucket is recorded on that bucket's model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from soc2checks import resource
from soc2checks_aws._concurrency import bounded_map
from soc2checks_aws._parse import Answer, policy_document
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import AwsApiError, AwsError, call, translate
from soc2checks_aws.models import (
    AccountPublicAccessBlock,
    AclGrant,
    AwsAccount,
    PublicAccessBlock,
    S3Bucket,
    S3BucketAccess,
    S3BucketAttr,
    S3BucketEncryption,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
    S3BucketVersioning,
)
from soc2checks_aws.models_lifecycle import LifecycleRule, S3BucketLifecycle

A = TypeVar("A", bound=S3BucketAttr)


@resource(
    "aws_s3_buckets",
    scope="account",
    provider="aws",
    permissions=["s3:ListAllMyBuckets"],
    resource_type="AWS::S3::Bucket",
)
def aws_s3_buckets(aws_account: AwsAccount, aws_clients: AwsClients) -> list[S3Bucket]:
    """Every bucket of the account, with its region when ``ListBuckets`` gives it.

    Paginated (``MaxBuckets`` = ``[aws] list_buckets_page_size``, 10,000 by default,
    the most AWS allows): AWS answers unpaginated ``ListBuckets`` only for accounts at
    the default quota of 10,000 buckets.
    """
    account = aws_account.account_id
    s3 = aws_clients.client("s3", account)
    if not s3.can_paginate("list_buckets"):
        raise AwsApiError(
            "this botocore has no ListBuckets paginator, so an account's buckets beyond the "
            "first page would be missed: upgrade boto3 (pip install -U 'soc2checks[aws]', "
            "boto3>=1.36)"
        )
    try:
        found = _list_buckets(s3, aws_clients.settings.list_buckets_page_size)
    except Exception as exc:
        raise translate(exc, "s3:ListAllMyBuckets", f"account {account}") from exc
    return [
        S3Bucket(account_id=account, name=b["Name"], region=b.get("BucketRegion") or "")
        for b in sorted(found, key=lambda b: str(b["Name"]))
    ]


def _list_buckets(s3: Any, page_size: int) -> list[dict[str, Any]]:
    """Every page of ``ListBuckets``; guards against endpoints that ignore pagination.

    A full page without a ``ContinuationToken`` is ambiguous (exactly one page of
    buckets, or an endpoint that truncates without saying so, as some emulators do):
    one unpaginated ``ListBuckets`` settles it, and the longer answer wins.
    """
    found: list[dict[str, Any]] = []
    full_page_without_token = False
    pages = s3.get_paginator("list_buckets").paginate(PaginationConfig={"PageSize": page_size})
    for page in pages:
        items = list(page.get("Buckets", []))
        found.extend(items)
        full_page_without_token = len(items) >= page_size and not page.get("ContinuationToken")
    if full_page_without_token:
        everything = list(s3.list_buckets().get("Buckets", []))
        if len(everything) > len(found):
            return everything
    return found


def _per_bucket(
    buckets: list[S3Bucket],
    clients: AwsClients,
    model: type[A],
    fetch: Callable[[Any, S3Bucket], dict[str, Any]],
    action: str,
) -> list[A]:
    def one(bucket: S3Bucket) -> A:
        s3 = clients.client("s3", bucket.account_id, bucket.region or None)
        base: dict[str, Any] = {
            "account_id": bucket.account_id,
            "name": bucket.name,
            "region": bucket.region,
        }
        try:
            return model(**base, **fetch(s3, bucket))
        except AwsError as exc:
            return model(**base, error=str(exc))
        except Exception as exc:  # anything else: still one bucket's error
            return model(**base, error=str(translate(exc, action, f"bucket {bucket.name}")))

    return bounded_map(one, buckets, clients.settings.max_workers)


@resource(
    "aws_s3_account_public_access_block",
    scope="account",
    provider="aws",
    permissions=["s3:GetAccountPublicAccessBlock"],
    resource_type="AWS::S3::AccountPublicAccessBlock",
)
def aws_s3_account_public_access_block(
    aws_account: AwsAccount, aws_clients: AwsClients
) -> AccountPublicAccessBlock:
    """The account-level Block Public Access settings (S3 Control)."""
    account = aws_account.account_id
    s3control = aws_clients.client("s3control", account)
    answer = call(
        s3control.get_public_access_block,
        "s3:GetAccountPublicAccessBlock",
        f"account {account}",
        absent=("NoSuchPublicAccessBlockConfiguration",),
        AccountId=account,
    )
    return AccountPublicAccessBlock(account_id=account, **parse_public_access_block(answer))


def parse_public_access_block(answer: Mapping[str, Any] | None) -> dict[str, Any]:
    """``GetPublicAccessBlock`` (``None``: not configured) as model fields.

    A configuration missing one of its four settings cannot be judged: the whole
    ``configuration`` is then recorded as missing.
    """
    if answer is None:
        return {"configuration": None}
    c = Answer(answer.get("PublicAccessBlockConfiguration"), "PublicAccessBlockConfiguration.")
    config = PublicAccessBlock(
        block_public_acls=c.flag("a", "BlockPublicAcls"),
        ignore_public_acls=c.flag("b", "IgnorePublicAcls"),
        block_public_policy=c.flag("c", "BlockPublicPolicy"),
        restrict_public_buckets=c.flag("d", "RestrictPublicBuckets"),
    )
    missing = {"configuration": ", ".join(sorted(c.missing.values()))} if c.missing else {}
    return {"configuration": config, "missing_fields": missing}


def _policy(s3: Any, bucket: S3Bucket) -> dict[str, Any]:
    answer = call(
        s3.get_bucket_policy,
        "s3:GetBucketPolicy",
        f"bucket {bucket.name}",
        absent=("NoSuchBucketPolicy",),
        Bucket=bucket.name,
    )
    return parse_bucket_policy(answer)


def parse_bucket_policy(answer: Mapping[str, Any] | None) -> dict[str, Any]:
    """``GetBucketPolicy`` (``None``: the bucket has none) as model fields.

    A policy that is not a JSON object is missing data, never an empty policy.
    """
    if answer is None:
        return {"policy": None}
    doc = policy_document(answer.get("Policy"))
    if doc is None:
        return {"policy": {}, "missing_fields": {"policy": "Policy (absent or not a JSON policy)"}}
    return {"policy": doc}


@resource(
    "aws_s3_bucket_policies",
    scope="account",
    provider="aws",
    permissions=["s3:ListAllMyBuckets", "s3:GetBucketPolicy"],
    resource_type="AWS::S3::Bucket",
)
def aws_s3_bucket_policies(
    aws_s3_buckets: list[S3Bucket], aws_clients: AwsClients
) -> list[S3BucketPolicy]:
    """Each bucket's policy document (``None`` when it has none)."""
    return _per_bucket(aws_s3_buckets, aws_clients, S3BucketPolicy, _policy, "s3:GetBucketPolicy")


_PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}


def _acl(s3: Any, bucket: S3Bucket) -> dict[str, Any]:
    answer = call(s3.get_bucket_acl, "s3:GetBucketAcl", f"bucket {bucket.name}", Bucket=bucket.name)
    return parse_bucket_acl(answer)


def parse_bucket_acl(answer: Mapping[str, Any] | None) -> dict[str, Any]:
    """``GetBucketAcl`` as model fields; an answer without ``Grants`` is missing data."""
    a = Answer(answer)
    grants: list[AclGrant] = []
    for g in a.items("grants", "Grants"):
        grantee = g.get("Grantee") or {}
        kind = grantee.get("Type", "")
        who = grantee.get("URI") or grantee.get("ID") or grantee.get("EmailAddress") or ""
        if not kind or not who or not g.get("Permission"):
            a.mark("grants", "Grants[].Grantee.Type, its URI/ID/EmailAddress and Permission")
        grants.append(AclGrant(grantee_type=kind, grantee=who, permission=g.get("Permission", "")))
    return {"grants": grants, "missing_fields": a.missing}


@resource(
    "aws_s3_bucket_access",
    scope="account",
    provider="aws",
    permissions=["s3:ListAllMyBuckets", "s3:GetBucketPolicy", "s3:GetBucketAcl"],
    resource_type="AWS::S3::Bucket",
)
def aws_s3_bucket_access(
    aws_s3_bucket_policies: list[S3BucketPolicy],
    aws_s3_buckets: list[S3Bucket],
    aws_clients: AwsClients,
) -> list[S3BucketAccess]:
    """Each bucket's policy and ACL grants (the policy is shared with other checks)."""
    acls = _per_bucket(aws_s3_buckets, aws_clients, S3BucketAccess, _acl, "s3:GetBucketAcl")
    policies = {p.name: p for p in aws_s3_bucket_policies}
    out: list[S3BucketAccess] = []
    for acl in acls:
        pol = policies.get(acl.name)
        errors = [e for e in (acl.error, pol.error if pol else None) if e]
        missing = dict(acl.missing_fields)
        if pol is None:
            missing["policy"] = "GetBucketPolicy answer"
        else:
            missing.update(pol.missing_fields)
        out.append(
            acl.model_copy(
                update={
                    "policy": pol.policy if pol else None,
                    "error": "; ".join(errors) if errors else None,
                    "missing_fields": missing,
                }
            )
        )
    return out


def _bucket_pab(s3: Any, bucket: S3Bucket) -> dict[str, Any]:
    answer = call(
        s3.get_public_access_block,
        "s3:GetBucketPublicAccessBlock",
        f"bucket {bucket.name}",
        absent=("NoSuchPublicAccessBlockConfiguration",),
        Bucket=bucket.name,
    )
    return parse_public_access_block(answer)


@resource(
    "aws_s3_bucket_public_access_blocks",
    scope="account",
    provider="aws",
    permissions=["s3:ListAllMyBuckets", "s3:GetBucketPublicAccessBlock"],
    resource_type="AWS::S3::Bucket",
)
def aws_s3_bucket_public_access_blocks(
    aws_s3_buckets: list[S3Bucket], aws_clients: AwsClients
) -> list[S3BucketPublicAccessBlock]:
    """Each bucket's own Block Public Access settings (``None`` when not configured)."""
    return _per_bucket(
        aws_s3_buckets,
        aws_clients,
        S3BucketPublicAccessBlock,
        _bucket_pab,
        "s3:GetBucketPublicAccessBlock",
    )


def _encryption(s3: Any, bucket: S3Bucket) -> dict[str, Any]:
    answer = call(
        s3.get_bucket_encryption,
        "s3:GetEncryptionConfiguration",
        f"bucket {bucket.name}",
        absent=("ServerSideEncryptionConfigurationNotFoundError",),
        Bucket=bucket.name,
    )
    return parse_bucket_encryption(answer)


def parse_bucket_encryption(answer: Mapping[str, Any] | None) -> dict[str, Any]:
    """``GetBucketEncryption`` as model fields (``None``: no configuration).

    Real AWS always answers since January 2023 (SSE-S3 at least); a configuration
    without rules, or a rule without an algorithm, is missing data.
    """
    if answer is None:
        return {"algorithms": [], "kms_key_ids": []}
    config = Answer(
        answer.get("ServerSideEncryptionConfiguration"), "ServerSideEncryptionConfiguration."
    )
    algorithms: list[str] = []
    keys: list[str] = []
    bucket_key: bool | None = None
    rules = config.items("algorithms", "Rules")
    if not rules:
        config.mark("algorithms", "ServerSideEncryptionConfiguration.Rules")
    for rule in rules:
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        if not default.get("SSEAlgorithm"):
            config.mark(
                "algorithms",
                "ServerSideEncryptionConfiguration.Rules[].ApplyServerSideEncryptionByDefault"
                ".SSEAlgorithm",
            )
            continue
        algorithms.append(default["SSEAlgorithm"])
        if default.get("KMSMasterKeyID"):
            keys.append(default["KMSMasterKeyID"])
        if isinstance(rule.get("BucketKeyEnabled"), bool):
            bucket_key = bool(bucket_key) or rule["BucketKeyEnabled"]
    return {
        "algorithms": algorithms,
        "kms_key_ids": keys,
        "bucket_key_enabled": bucket_key,
        "missing_fields": config.missing,
    }


@resource(
    "aws_s3_bucket_encryption",
    scope="account",
    provider="aws",
    permissions=["s3:ListAllMyBuckets", "s3:GetEncryptionConfiguration"],
    resource_type="AWS::S3::Bucket",
)
def aws_s3_bucket_encryption(
    aws_s3_buckets: list[S3Bucket], aws_clients: AwsClients
) -> list[S3BucketEncryption]:
    """Each bucket's default encryption (empty when none is configured)."""
    return _per_bucket(
        aws_s3_buckets,
        aws_clients,
        S3BucketEncryption,
        _encryption,
        "s3:GetEncryptionConfiguration",
    )


def _versioning(s3: Any, bucket: S3Bucket) -> dict[str, Any]:
    answer = call(
        s3.get_bucket_versioning,
        "s3:GetBucketVersioning",
        f"bucket {bucket.name}",
        Bucket=bucket.name,
    )
    return {"status": (answer or {}).get("Status"), "mfa_delete": (answer or {}).get("MFADelete")}


@resource(
    "aws_s3_bucket_versioning",
    scope="account",
    provider="aws",
    permissions=["s3:ListAllMyBuckets", "s3:GetBucketVersioning"],
    resource_type="AWS::S3::Bucket",
)
def aws_s3_bucket_versioning(
    aws_s3_buckets: list[S3Bucket], aws_clients: AwsClients
) -> list[S3BucketVersioning]:
    """Each bucket's versioning status (``None``: never enabled)."""
    return _per_bucket(
        aws_s3_buckets, aws_clients, S3BucketVersioning, _versioning, "s3:GetBucketVersioning"
    )


def _date(value: Any) -> Any:
    return value.date() if hasattr(value, "date") else value


def _lifecycle(s3: Any, bucket: S3Bucket) -> dict[str, Any]:
    where = f"bucket {bucket.name}"
    tagging = call(
        s3.get_bucket_tagging,
        "s3:GetBucketTagging",
        where,
        absent=("NoSuchTagSet",),
        Bucket=bucket.name,
    )
    tags = {t["Key"]: t.get("Value", "") for t in (tagging or {}).get("TagSet", [])}
    answer = call(
        s3.get_bucket_lifecycle_configuration,
        "s3:GetLifecycleConfiguration",
        where,
        absent=("NoSuchLifecycleConfiguration",),
        Bucket=bucket.name,
    )
    rules: list[LifecycleRule] = []
    for r in (answer or {}).get("Rules", []):
        filt = r.get("Filter") or {}
        prefix = filt.get("Prefix", r.get("Prefix", "")) or ""
        filtered = bool(prefix) or any(k in filt for k in ("Tag", "And", "ObjectSizeGreaterThan"))
        exp = r.get("Expiration") or {}
        noncurrent = r.get("NoncurrentVersionExpiration") or {}
        rules.append(
            LifecycleRule(
                id=r.get("ID", ""),
                enabled=r.get("Status") == "Enabled",
                prefix=prefix,
                filtered=filtered,
                expiration_days=exp.get("Days"),
                expiration_date=_date(exp["Date"]) if exp.get("Date") else None,
                noncurrent_expiration_days=noncurrent.get("NoncurrentDays"),
            )
        )
    return {"tags": tags, "rules": rules}


@resource(
    "aws_s3_bucket_lifecycle",
    scope="account",
    provider="aws",
    permissions=["s3:ListAllMyBuckets", "s3:GetBucketTagging", "s3:GetLifecycleConfiguration"],
    resource_type="AWS::S3::Bucket",
)
def aws_s3_bucket_lifecycle(
    aws_s3_buckets: list[S3Bucket], aws_clients: AwsClients
) -> list[S3BucketLifecycle]:
    """Each bucket's tags and lifecycle rules (two calls per bucket)."""
    return _per_bucket(
        aws_s3_buckets, aws_clients, S3BucketLifecycle, _lifecycle, "s3:GetLifecycleConfiguration"
    )
