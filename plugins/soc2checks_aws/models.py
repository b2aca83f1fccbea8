"""Typed AWS resources, as the checks see them. Plain pydantic: no SDK in here.

Every model has a ``resource_id`` (an ARN where AWS has one) and round-trips
through JSON. Per-resource attributes that could not be read carry the reason in
``error``; checks call :func:`raise_if_error` so that one unreadable bucket becomes
one ``error`` finding instead of failing its neighbours.

A judged field that AWS did not return (or returned unparseable) is named in
``missing_fields`` (attribute -> AWS's name for it) and holds a placeholder; a check
that reads it becomes an ``error`` finding ("AWS did not return ... : cannot judge"),
never a pass on the placeholder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


def _empty(value: Any) -> bool:
    return not value


class AwsModel(BaseModel):
    model_config = ConfigDict(frozen=True)

    missing_source: ClassVar[str] = "AWS"

    missing_fields: dict[str, str] = Field(default_factory=dict, exclude_if=_empty)
    """Judged fields AWS did not return: attribute name -> AWS's name for the field."""


def raise_if_error(resource: Any) -> None:
    """Raise the fetch error recorded on ``resource``, if any (an ``error`` finding)."""
    error = getattr(resource, "error", None)
    if error:
        if str(error).startswith("AccessDenied"):
            raise PermissionError(error)
        raise RuntimeError(error)


# -- scopes ---------------------------------------------------------------------


class AwsAccount(AwsModel):
    """One AWS account in scope."""

    account_id: str
    name: str = ""

    @property
    def resource_id(self) -> str:
        return f"arn:aws:::{self.account_id}:account"

    @property
    def scope_key(self) -> dict[str, str]:
        return {"account": self.account_id}


class AwsRegion(AwsModel):
    """One enabled region of one account."""

    account_id: str
    region: str

    @property
    def resource_id(self) -> str:
        return f"arn:aws::{self.region}:{self.account_id}:region"

    @property
    def scope_key(self) -> dict[str, str]:
        return {"account": self.account_id, "region": self.region}


# -- IAM ------------------------------------------------------------------------


class AccountSummary(AwsModel):
    """``iam:GetAccountSummary``: the root user's MFA and access-key flags."""

    account_id: str
    root_mfa_enabled: bool
    root_access_keys_present: bool

    @property
    def resource_id(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"


class PasswordPolicy(AwsModel):
    """The account password policy; ``exists`` is false when none is set."""

    account_id: str
    exists: bool
    minimum_length: int | None = None
    password_reuse_prevention: int | None = None
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    max_password_age: int | None = None

    @property
    def resource_id(self) -> str:
        return f"arn:aws:iam::{self.account_id}:account-password-policy"


class CredentialReportUser(AwsModel):
    """One IAM user's row of the credential report (never the root user)."""

    account_id: str
    name: str
    arn: str
    created: dt.datetime
    password_enabled: bool
    password_last_used: dt.datetime | None = None
    password_last_changed: dt.datetime | None = None
    mfa_active: bool
    access_key_1_active: bool = False
    access_key_1_last_rotated: dt.datetime | None = None
    access_key_1_last_used: dt.datetime | None = None
    access_key_2_active: bool = False
    access_key_2_last_rotated: dt.datetime | None = None
    access_key_2_last_used: dt.datetime | None = None

    @property
    def resource_id(self) -> str:
        return self.arn


class AccessKey(AwsModel):
    """An access key of an IAM user (slot 1 or 2 of the credential report)."""

    account_id: str
    user_name: str
    user_arn: str
    slot: int
    active: bool
    last_rotated: dt.datetime | None = None
    last_used: dt.datetime | None = None

    @property
    def resource_id(self) -> str:
        return f"{self.user_arn}/access-key-{self.slot}"


class InlinePolicy(AwsModel):
    name: str
    document: dict[str, Any]


class AttachedPolicy(AwsModel):
    """A managed policy attached to a user or group.

    ``document`` is the default version of a customer-managed policy; AWS-managed
    policies (``arn:aws:iam::aws:policy/...``) are not fetched and have ``None``.
    """

    name: str
    arn: str
    document: dict[str, Any] | None = None

    @property
    def aws_managed(self) -> bool:
        return ":iam::aws:policy/" in self.arn


class IamGroup(AwsModel):
    """An IAM group with its inline and attached managed policies."""

    account_id: str
    name: str
    arn: str
    inline_policies: list[InlinePolicy] = Field(default_factory=list)
    attached_policies: list[AttachedPolicy] = Field(default_factory=list)

    @property
    def resource_id(self) -> str:
        return self.arn


class IamUserPolicies(AwsModel):
    """An IAM user with every policy that applies to it: inline, attached, through groups."""

    account_id: str
    name: str
    arn: str
    inline_policies: list[InlinePolicy] = Field(default_factory=list)
    attached_policies: list[AttachedPolicy] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    group_policies: list[IamGroup] = Field(default_factory=list)
    """The user's groups with their policies (shared objects: fetched once per group)."""

    @property
    def resource_id(self) -> str:
        return self.arn


class ManagedPolicy(AwsModel):
    """A customer-managed IAM policy with its default version's document."""

    account_id: str
    name: str
    arn: str
    attachment_count: int
    document: dict[str, Any]

    @property
    def resource_id(self) -> str:
        return self.arn


class IamRole(AwsModel):
    """An IAM role with its trust policy."""

    account_id: str
    name: str
    arn: str
    path: str = "/"
    trust_policy: dict[str, Any]

    @property
    def resource_id(self) -> str:
        return self.arn


# -- S3 -------------------------------------------------------------------------


class PublicAccessBlock(AwsModel):
    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False

    def all_on(self) -> bool:
        return (
            self.block_public_acls
            and self.ignore_public_acls
            and self.block_public_policy
            and self.restrict_public_buckets
        )

    def off_settings(self) -> list[str]:
        names = {
            "BlockPublicAcls": self.block_public_acls,
            "IgnorePublicAcls": self.ignore_public_acls,
            "BlockPublicPolicy": self.block_public_policy,
            "RestrictPublicBuckets": self.restrict_public_buckets,
        }
        return [k for k, v in names.items() if not v]


class AccountPublicAccessBlock(AwsModel):
    """The account-level S3 Block Public Access settings (``None``: not configured)."""

    account_id: str
    configuration: PublicAccessBlock | None = None

    @property
    def resource_id(self) -> str:
        return f"arn:aws:s3:::account/{self.account_id}"


class S3Bucket(AwsModel):
    account_id: str
    name: str
    region: str

    @property
    def resource_id(self) -> str:
        return f"arn:aws:s3:::{self.name}"


class S3BucketAttr(AwsModel):
    """Base of per-bucket attributes: which bucket, and why it could not be read."""

    account_id: str
    name: str
    region: str
    error: str | None = None

    @property
    def resource_id(self) -> str:
        return f"arn:aws:s3:::{self.name}"


class S3BucketPolicy(S3BucketAttr):
    """The bucket policy (``None``: the bucket has none)."""

    policy: dict[str, Any] | None = None


class AclGrant(AwsModel):
    grantee_type: str
    grantee: str
    permission: str


class S3BucketAccess(S3BucketAttr):
    """What a bucket's policy and ACL grant (for public-exposure checks)."""

    policy: dict[str, Any] | None = None
    grants: list[AclGrant] = Field(default_factory=list)


class S3BucketPublicAccessBlock(S3BucketAttr):
    configuration: PublicAccessBlock | None = None


class S3BucketEncryption(S3BucketAttr):
    """Default encryption rules: ``algorithms`` is empty when none is configured.

    Since January 2023 AWS applies SSE-S3 (``AES256``) to every bucket without its own
    configuration, and ``GetBucketEncryption`` reports it.
    """

    algorithms: list[str] = Field(default_factory=list)
    kms_key_ids: list[str] = Field(default_factory=list)
    bucket_key_enabled: bool | None = None


class S3BucketVersioning(S3BucketAttr):
    status: str | None = None
    mfa_delete: str | None = None


# -- EC2 ------------------------------------------------------------------------


class EbsEncryptionDefault(AwsModel):
    account_id: str
    region: str
    enabled: bool

    @property
    def resource_id(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.account_id}:ebs-encryption-by-default"


class EbsVolume(AwsModel):
    account_id: str
    region: str
    volume_id: str
    encrypted: bool
    state: str = ""
    size_gib: int | None = None
    kms_key_id: str | None = None
    attached_to: list[str] = Field(default_factory=list)

    @property
    def resource_id(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.account_id}:volume/{self.volume_id}"


class IngressRule(AwsModel):
    protocol: str
    from_port: int | None = None
    to_port: int | None = None
    ipv4_ranges: list[str] = Field(default_factory=list)
    ipv6_ranges: list[str] = Field(default_factory=list)
    prefix_lists: list[str] = Field(default_factory=list)
    security_groups: list[str] = Field(default_factory=list)


class SecurityGroup(AwsModel):
    account_id: str
    region: str
    group_id: str
    group_name: str
    vpc_id: str | None = None
    ingress: list[IngressRule] = Field(default_factory=list)
    egress: list[IngressRule] = Field(default_factory=list)

    @property
    def is_default(self) -> bool:
        return self.group_name == "default"

    @property
    def resource_id(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.account_id}:security-group/{self.group_id}"


# -- RDS, DynamoDB, KMS ----------------------------------------------------------


class DbInstance(AwsModel):
    account_id: str
    region: str
    identifier: str
    arn: str
    engine: str = ""
    storage_encrypted: bool
    publicly_accessible: bool
    backup_retention_days: int
    read_replica_source: str | None = None
    cluster_identifier: str | None = None

    @property
    def resource_id(self) -> str:
        return self.arn


class DynamoTable(AwsModel):
    account_id: str
    region: str
    name: str
    arn: str
    pitr_status: str | None = None
    error: str | None = None

    @property
    def resource_id(self) -> str:
        return self.arn


class KmsKey(AwsModel):
    """A KMS key with its metadata and, for keys where it applies, rotation status."""

    account_id: str
    region: str
    key_id: str
    arn: str
    manager: str = ""
    state: str = ""
    spec: str = ""
    usage: str = ""
    origin: str = ""
    rotation_enabled: bool | None = None
    error: str | None = None

    @property
    def rotation_applies(self) -> bool:
        """Customer-managed, enabled, symmetric, AWS-generated key material."""
        return (
            self.manager == "CUSTOMER"
            and self.state == "Enabled"
            and self.spec == "SYMMETRIC_DEFAULT"
            and self.usage == "ENCRYPT_DECRYPT"
            and self.origin == "AWS_KMS"
        )

    @property
    def resource_id(self) -> str:
        return self.arn


# -- CloudTrail, Config, GuardDuty, Security Hub, Logs ---------------------------


class Trail(AwsModel):
    account_id: str
    name: str
    arn: str
    home_region: str
    multi_region: bool
    organization_trail: bool = False
    log_file_validation: bool
    kms_key_id: str | None = None
    s3_bucket: str | None = None

    @property
    def resource_id(self) -> str:
        return self.arn


class TrailStatus(AwsModel):
    """A multi-region trail with whether it logs and which management events it keeps."""

    arn: str
    name: str
    home_region: str
    is_logging: bool | None = None
    management_events: bool | None = None
    read_write_type: str | None = None
    management_filters: list[str] = Field(default_factory=list)
    """Filters that keep only part of the management events (excluded event sources,
    advanced selector fields other than ``eventCategory`` and ``readOnly``)."""
    error: str | None = None


class CloudTrailSummary(AwsModel):
    """Every multi-region trail of an account, with its status and selectors."""

    account_id: str
    trails: list[TrailStatus] = Field(default_factory=list)

    @property
    def resource_id(self) -> str:
        return f"arn:aws:cloudtrail::{self.account_id}:account"


class ConfigRecorder(AwsModel):
    name: str
    recording: bool
    all_supported: bool | None = None
    """``recordingGroup.allSupported``; None when AWS did not say."""
    recording_strategy: str | None = None
    """``recordingGroup.recordingStrategy.useOnly``: ``ALL_SUPPORTED_RESOURCE_TYPES``,
    ``EXCLUSION_BY_RESOURCE_TYPES`` or ``INCLUSION_BY_RESOURCE_TYPES``."""
    excluded_types: list[str] = Field(default_factory=list)
    included_types: list[str] = Field(default_factory=list)
    last_status: str | None = None
    """``lastStatus`` of the recorder: ``PENDING``, ``SUCCESS`` or ``FAILURE``."""
    last_error: str | None = None


class ConfigRecorders(AwsModel):
    account_id: str
    region: str
    recorders: list[ConfigRecorder] = Field(default_factory=list)
    delivery_channels: list[str] = Field(default_factory=list)
    """Names of the region's delivery channels (where Config sends what it records)."""

    @property
    def resource_id(self) -> str:
        return f"arn:aws:config:{self.region}:{self.account_id}:configuration-recorders"


class GuardDutyDetector(AwsModel):
    detector_id: str
    status: str


class GuardDutyStatus(AwsModel):
    account_id: str
    region: str
    detectors: list[GuardDutyDetector] = Field(default_factory=list)

    @property
    def resource_id(self) -> str:
        return f"arn:aws:guardduty:{self.region}:{self.account_id}:detectors"


class SecurityHubStatus(AwsModel):
    account_id: str
    region: str
    enabled: bool
    hub_arn: str | None = None

    @property
    def resource_id(self) -> str:
        return self.hub_arn or f"arn:aws:securityhub:{self.region}:{self.account_id}:hub/default"


class LogGroup(AwsModel):
    account_id: str
    region: str
    name: str
    arn: str
    retention_days: int | None = None
    stored_bytes: int | None = None

    @property
    def resource_id(self) -> str:
        return self.arn
