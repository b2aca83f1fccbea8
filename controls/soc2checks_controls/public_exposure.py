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
from soc2checks_azure.models import StorageAccount
from soc2checks_controls._policy import public_statements
from soc2checks_gcp.models import Bucket, ProjectIamPolicy, SqlInstance

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


# --- gcp ---

_GCP_PUBLIC = ("allUsers", "allAuthenticatedUsers")
_GCP_WORLD = ("0.0.0.0/0", "::/0")


@public_exposure.check(
    "gcp.iam.no-public-bindings",
    over="gcp_project_iam_policy",
    severity="critical",
    remediation="Remove allUsers and allAuthenticatedUsers from the project's IAM policy.",
)
def gcp_no_public_bindings(policy: ProjectIamPolicy) -> None:
    """No project IAM binding grants anything to allUsers or allAuthenticatedUsers."""
    public = sorted(
        f"{m} → {b.role}" for b in policy.bindings for m in b.members if m in _GCP_PUBLIC
    )
    assert not public, f"project {policy.project_id} grants {', '.join(public)}"


@public_exposure.check(
    "gcp.storage.public-access-prevention",
    over="gcp_buckets",
    severity="high",
    remediation=(
        "Enforce public access prevention on the bucket (gcloud storage buckets update "
        "gs://BUCKET --public-access-prevention), or by the organization policy "
        "storage.publicAccessPrevention."
    ),
)
def gcp_bucket_public_access_prevention(bucket: Bucket) -> None:
    """Buckets enforce public access prevention."""
    if bucket.public_access_prevention is None:
        raise LookupError(f"Google did not return publicAccessPrevention for {bucket.name}")
    assert bucket.public_access_prevention == "enforced", (
        f"bucket {bucket.name} has publicAccessPrevention={bucket.public_access_prevention}"
    )


@public_exposure.check(
    "gcp.storage.not-public",
    over="gcp_buckets_with_iam",
    severity="critical",
    remediation="Remove allUsers and allAuthenticatedUsers from the bucket's IAM policy.",
)
def gcp_bucket_not_public(bucket: Bucket) -> None:
    """A bucket's IAM policy grants nothing to allUsers or allAuthenticatedUsers."""
    if bucket.iam_error:
        raise PermissionError(bucket.iam_error)
    if bucket.iam_bindings is None:
        raise LookupError(f"the IAM policy of bucket {bucket.name} was not read")
    public = sorted(
        f"{m} → {b.role}" for b in bucket.iam_bindings for m in b.members if m in _GCP_PUBLIC
    )
    assert not public, f"bucket {bucket.name} grants {', '.join(public)}"


@public_exposure.check(
    "gcp.sql.no-public-ip",
    over="gcp_sql_instances",
    severity="high",
    remediation=(
        "Use private IP (Private Service Access) and the Cloud SQL Auth Proxy; if a public IP "
        "is needed, remove 0.0.0.0/0 from its authorized networks."
    ),
)
def gcp_sql_no_public_ip(instance: SqlInstance) -> None:
    """Cloud SQL instances have no public IPv4, or their authorized networks exclude the world."""
    if instance.ipv4_enabled is None:
        raise LookupError(f"Google did not return ipConfiguration for {instance.name}")
    if not instance.ipv4_enabled:
        return
    world = sorted(n for n in instance.authorized_networks if n in _GCP_WORLD)
    assert not world, (
        f"Cloud SQL instance {instance.name} ({instance.project_id}) has a public IP open to "
        f"{', '.join(world)}"
    )


# --- azure ---


@public_exposure.check(
    "azure.storage.no-public-blob-access",
    over="azure_storage_accounts",
    severity="high",
    remediation="Set allowBlobPublicAccess to false on the storage account.",
)
def azure_storage_no_public_blob(account: StorageAccount) -> None:
    """Storage accounts do not allow anonymous public blob access."""
    if account.allow_blob_public_access is None:
        raise LookupError(f"Azure did not return allowBlobPublicAccess for {account.name}")
    assert not account.allow_blob_public_access, (
        f"storage account {account.name} allows anonymous public blob access"
    )
