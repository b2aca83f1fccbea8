"""No unintended public exposure of data stores.

Storage and databases reachable from the internet are the most common cause of data
breaches (CC6.6 boundary protection, C1.1 confidential information).
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import (
    AccountPublicAccessBlock,
    DbInstance,
    S3BucketAccess,
    S3BucketPublicAccessBlock,
    raise_if_error,
)
from soc2checks_controls._policy import public_statements

public_exposure = control("public-exposure", criteria=["CC6.6", "C1.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


_AWS_PUBLIC_GRANTEES = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "everyone (AllUsers)",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": (
        "any AWS account (AuthenticatedUsers)"
    ),
}


@public_exposure.check(
    "aws.s3.account-public-access-block",
    over="aws_s3_account_public_access_block",
    severity="high",
    remediation=(
        "Turn on all four S3 Block Public Access settings for the account: `aws s3control "
        "put-public-access-block --account-id <ID> --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,"
        "RestrictPublicBuckets=true`."
    ),
)
def aws_s3_account_public_access_block(pab: AccountPublicAccessBlock) -> None:
    """S3 Block Public Access is on, with all four settings, for the whole account."""
    assert pab.configuration is not None, (
        f"account {pab.account_id} has no S3 Block Public Access configuration"
    )
    off = pab.configuration.off_settings()
    assert not off, (
        f"account {pab.account_id} S3 Block Public Access settings off: {', '.join(off)}"
    )


@public_exposure.check(
    "aws.s3.bucket-public-access-block",
    over="aws_s3_bucket_public_access_blocks",
    severity="medium",
    remediation=(
        "Turn on all four Block Public Access settings on the bucket (`aws s3api "
        "put-public-access-block`), or once for the whole account."
    ),
)
def aws_s3_bucket_public_access_block(
    bucket: S3BucketPublicAccessBlock,
    aws_s3_account_public_access_block: AccountPublicAccessBlock,
) -> None:
    """Each S3 bucket has all four Block Public Access settings on, at bucket or account level."""
    raise_if_error(bucket)
    own = bucket.configuration
    account = aws_s3_account_public_access_block.configuration
    off = [
        name
        for name in (
            "BlockPublicAcls",
            "IgnorePublicAcls",
            "BlockPublicPolicy",
            "RestrictPublicBuckets",
        )
        if (own is None or name in own.off_settings())
        and (account is None or name in account.off_settings())
    ]
    assert not off, (
        f"bucket {bucket.name} has Block Public Access off at bucket and account level: "
        + ", ".join(off)
    )


@public_exposure.check(
    "aws.s3.bucket-not-public",
    over="aws_s3_bucket_access",
    severity="critical",
    remediation=(
        'Remove the policy statements that allow Principal "*" without a restricting '
        "condition and the ACL grants to AllUsers/AuthenticatedUsers; serve public content "
        "through CloudFront with origin access control instead."
    ),
)
def aws_s3_bucket_not_public(bucket: S3BucketAccess) -> None:
    """S3 buckets' policies and ACLs grant no public access.

    A policy statement allowing ``*`` (or everyone but some, ``NotPrincipal``)
    without a condition that pins it to known accounts, networks or organizations is
    public; so is an ACL grant to AllUsers or AuthenticatedUsers. Only positive
    operators restrict (``StringEquals``, ``ArnLike``, ``IpAddress`` ...; never
    ``StringNotEquals``, ``NotIpAddress``, ``...IfExists`` or ``ForAllValues:``), and
    only with specific values (``arn:aws:iam::*:*``, ``o-*`` or ``0.0.0.0/0`` do not).
    """
    raise_if_error(bucket)
    reasons = [f"policy statement {s}" for s in public_statements(bucket.policy)]
    reasons += [
        f"ACL grants {g.permission} to {_AWS_PUBLIC_GRANTEES[g.grantee]}"
        for g in bucket.grants
        if g.grantee in _AWS_PUBLIC_GRANTEES
    ]
    assert not reasons, f"bucket {bucket.name} is public: " + "; ".join(reasons)


@public_exposure.check(
    "aws.rds.not-public",
    over="aws_rds_instances",
    severity="high",
    remediation=(
        "Modify the DB instance with `--no-publicly-accessible` and reach it through a "
        "private network (VPN, bastion or AWS Systems Manager)."
    ),
)
def aws_rds_not_public(db: DbInstance) -> None:
    """RDS DB instances are not publicly accessible."""
    assert not db.publicly_accessible, (
        f"DB instance {db.identifier} ({db.region}) is publicly accessible"
    )
