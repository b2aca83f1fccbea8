"""Missing data is never a pass: every judged field AWS did not return makes an error.

Table-driven: for each parse function, a complete answer parses with nothing missing,
and the same answer without each judged field (or with it unparseable) records the
field as missing; the check that judges it, called on the engine's recording view,
reads the missing field, which the engine turns into an ``error`` finding. The last
tests go through moto and the engine end to end.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from soc2checks._evidence import RecordingView, missing_message, missing_read
from soc2checks_aws import dynamodb, ec2, guardduty, kms, rds, s3
from soc2checks_aws._iam_parse import (
    access_keys,
    parse_account_summary,
    parse_credential_report,
    parse_managed_policies,
    parse_password_policy,
    parse_roles,
    parse_user_policies,
)
from soc2checks_aws.models import (
    AccountPublicAccessBlock,
    AwsRegion,
    S3BucketAccess,
    S3BucketEncryption,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
)
from soc2checks_controls import (
    backup_and_recovery,
    credential_rotation,
    encryption_at_rest,
    encryption_in_transit,
    key_management,
    least_privilege,
    mfa_enforced,
    network_ingress,
    password_policy,
    privileged_access,
    public_exposure,
    stale_access,
    threat_detection,
    vendor_access,
)

from .conftest import ACCOUNT, AwsEnv

REGION = AwsRegion(account_id=ACCOUNT, region="us-east-1")
TODAY = dt.date(2026, 1, 1)
DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
BASE = {"account_id": ACCOUNT, "name": "bucket-x", "region": "us-east-1"}
NO_ACCOUNT_PAB = AccountPublicAccessBlock(account_id=ACCOUNT)
_ABSENT = object()


def _without(answer: Any, path: tuple[Any, ...], value: Any = _ABSENT) -> Any:
    """A deep copy of ``answer`` with the field at ``path`` removed (or set to ``value``)."""
    out = copy.deepcopy(answer)
    node = out
    for key in path[:-1]:
        node = node[key]
    if value is _ABSENT:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


REPORT_COLUMNS = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
]
REPORT_ROW = {
    "user": "ann",
    "arn": f"arn:aws:iam::{ACCOUNT}:user/ann",
    "user_creation_time": "2025-01-01T00:00:00+00:00",
    "password_enabled": "true",
    "password_last_used": "2025-12-30T00:00:00+00:00",
    "password_last_changed": "2025-01-01T00:00:00+00:00",
    "mfa_active": "true",
    "access_key_1_active": "true",
    "access_key_1_last_rotated": "2025-12-01T00:00:00+00:00",
    "access_key_1_last_used_date": "2025-12-30T00:00:00+00:00",
    "access_key_2_active": "false",
    "access_key_2_last_rotated": "N/A",
    "access_key_2_last_used_date": "N/A",
}


def _report(row: dict[str, str]) -> str:
    columns = [c for c in REPORT_COLUMNS if c in row]
    return ",".join(columns) + "\n" + ",".join(row[c] for c in columns) + "\n"


def _one_user(row: dict[str, str]) -> Any:
    [user] = parse_credential_report(ACCOUNT, _report(row))
    return user


def _first_key(row: dict[str, str]) -> Any:
    return access_keys([_one_user(row)])[0]


AUTH_USER = {
    "UserName": "ann",
    "Arn": f"arn:aws:iam::{ACCOUNT}:user/ann",
    "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": DOC}],
    "AttachedManagedPolicies": [
        {"PolicyName": "Custom", "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/Custom"}
    ],
    "GroupList": ["ops"],
}
AUTH_GROUP = {
    "GroupName": "ops",
    "Arn": f"arn:aws:iam::{ACCOUNT}:group/ops",
    "GroupPolicyList": [{"PolicyName": "ops-inline", "PolicyDocument": DOC}],
    "AttachedManagedPolicies": [],
}
AUTH_POLICY = {
    "PolicyName": "Custom",
    "Arn": f"arn:aws:iam::{ACCOUNT}:policy/Custom",
    "AttachmentCount": 1,
    "DefaultVersionId": "v1",
    "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": DOC}],
}
AUTH = {"users": [AUTH_USER], "groups": [AUTH_GROUP], "policies": [AUTH_POLICY]}
ROLE = {
    "RoleName": "vendor",
    "Arn": f"arn:aws:iam::{ACCOUNT}:role/vendor",
    "AssumeRolePolicyDocument": {
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "1"}, "Action": "sts:AssumeRole"}]
    },
}
PAB = {
    "PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
}
ACL = {
    "Owner": {"ID": "abc"},
    "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "FULL_CONTROL"}],
}
ENCRYPTION = {
    "ServerSideEncryptionConfiguration": {
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    }
}
VOLUME = {"VolumeId": "vol-1", "Encrypted": True, "State": "in-use", "Size": 8}
GROUP = {
    "GroupId": "sg-1",
    "GroupName": "default",
    "IpPermissions": [],
    "IpPermissionsEgress": [],
}
DB = {
    "DBInstanceIdentifier": "db1",
    "StorageEncrypted": True,
    "PubliclyAccessible": False,
    "BackupRetentionPeriod": 7,
}
PITR = {
    "ContinuousBackupsDescription": {
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"}
    }
}
KEY_BASE = {
    "account_id": ACCOUNT,
    "region": "us-east-1",
    "key_id": "k1",
    "arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1",
}
KEY = {
    "KeyMetadata": {
        "KeyManager": "CUSTOMER",
        "KeyState": "Enabled",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "KeyUsage": "ENCRYPT_DECRYPT",
        "Origin": "AWS_KMS",
    }
}


def _key_with_rotation(answer: dict[str, Any]) -> Any:
    return kms.with_rotation(kms.parse_key_metadata(KEY_BASE, KEY), answer)


Parse = Callable[[Any], Any]
Check = Callable[..., Any]

# model: (parse, complete answer, [(path to remove or garble, garbled value, missing attr,
#          AWS's name, check, extra kwargs)])
CASES: list[
    tuple[str, Parse, Any, list[tuple[tuple[Any, ...], Any, str, str, Check, dict[str, Any]]]]
] = [
    (
        "AccountSummary",
        lambda a: parse_account_summary(ACCOUNT, a),
        {"SummaryMap": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0}},
        [
            (
                ("SummaryMap", "AccountAccessKeysPresent"),
                _ABSENT,
                "root_access_keys_present",
                "SummaryMap.AccountAccessKeysPresent",
                privileged_access.aws_root_access_keys,
                {},
            ),
            (
                ("SummaryMap", "AccountMFAEnabled"),
                _ABSENT,
                "root_mfa_enabled",
                "SummaryMap.AccountMFAEnabled",
                mfa_enforced.aws_root_mfa,
                {},
            ),
        ],
    ),
    (
        "PasswordPolicy",
        lambda a: parse_password_policy(ACCOUNT, a),
        {
            "PasswordPolicy": {
                "MinimumPasswordLength": 14,
                "RequireSymbols": True,
                "RequireNumbers": True,
                "RequireUppercaseCharacters": True,
                "RequireLowercaseCharacters": True,
                "PasswordReusePrevention": 24,
            }
        },
        [
            (
                ("PasswordPolicy", "MinimumPasswordLength"),
                _ABSENT,
                "minimum_length",
                "PasswordPolicy.MinimumPasswordLength",
                password_policy.aws_password_policy,
                {},
            )
        ],
    ),
    (
        "CredentialReportUser",
        _one_user,
        REPORT_ROW,
        [
            (
                ("mfa_active",),
                _ABSENT,
                "mfa_active",
                "mfa_active",
                mfa_enforced.aws_console_user_mfa,
                {},
            ),
            (
                ("password_enabled",),
                "maybe",
                "password_enabled",
                "password_enabled",
                mfa_enforced.aws_console_user_mfa,
                {},
            ),
            (
                ("password_last_used",),
                "yesterday",
                "password_last_used",
                "password_last_used ('yesterday' is not a timestamp)",
                stale_access.aws_unused_credentials,
                {"today": TODAY},
            ),
            (
                ("access_key_1_active",),
                _ABSENT,
                "access_key_1_active",
                "access_key_1_active",
                stale_access.aws_unused_credentials,
                {"today": TODAY},
            ),
        ],
    ),
    (
        "AccessKey",
        _first_key,
        REPORT_ROW,
        [
            (
                ("access_key_1_last_rotated",),
                "garbled",
                "last_rotated",
                "access_key_1_last_rotated ('garbled' is not a timestamp)",
                credential_rotation.aws_access_key_rotation,
                {"today": TODAY},
            ),
            (
                ("access_key_1_last_rotated",),
                _ABSENT,
                "last_rotated",
                "access_key_1_last_rotated",
                credential_rotation.aws_access_key_rotation,
                {"today": TODAY},
            ),
        ],
    ),
    (
        "ManagedPolicy",
        lambda a: parse_managed_policies(ACCOUNT, a)[0],
        [AUTH_POLICY],
        [
            (
                (0, "PolicyVersionList", 0, "Document"),
                "%7Bnot%20json",
                "document",
                "the default version's Document (absent or not a JSON policy)",
                least_privilege.aws_admin_policies,
                {},
            ),
            (
                (0, "AttachmentCount"),
                _ABSENT,
                "attachment_count",
                "AttachmentCount",
                least_privilege.aws_admin_policies,
                {},
            ),
        ],
    ),
    (
        "IamUserPolicies",
        lambda a: parse_user_policies(ACCOUNT, a["users"], a["groups"], a["policies"])[0],
        AUTH,
        [
            (
                ("users", 0, "UserPolicyList", 0, "PolicyDocument"),
                "{not json",
                "inline_policies",
                "PolicyDocument of inline policy inline (not a JSON policy)",
                least_privilege.aws_no_direct_admin,
                {},
            ),
            (
                ("policies", 0, "PolicyVersionList", 0, "Document"),
                "[]",
                "attached_policies",
                f"the default version's Document of arn:aws:iam::{ACCOUNT}:policy/Custom",
                least_privilege.aws_no_direct_admin,
                {},
            ),
            (
                ("groups", 0, "GroupPolicyList", 0, "PolicyDocument"),
                "{not json",
                "group_policies",
                "PolicyDocument of inline policy ops-inline (not a JSON policy) "
                "(group ops, inline_policies)",
                least_privilege.aws_no_direct_admin,
                {},
            ),
            (
                ("groups", 0),
                _ABSENT,
                "group_policies",
                "GroupDetailList entry of group ops",
                least_privilege.aws_no_direct_admin,
                {},
            ),
        ],
    ),
    (
        "IamRole",
        lambda a: parse_roles(ACCOUNT, [a])[0],
        ROLE,
        [
            (
                ("AssumeRolePolicyDocument",),
                "{bad",
                "trust_policy",
                "AssumeRolePolicyDocument (absent or not a JSON policy)",
                vendor_access.aws_cross_account_external_id,
                {},
            )
        ],
    ),
    (
        "S3BucketPolicy",
        lambda a: S3BucketPolicy(**BASE, **s3.parse_bucket_policy(a)),
        {"Policy": json.dumps(DOC)},
        [
            (
                ("Policy",),
                "{not json",
                "policy",
                "Policy (absent or not a JSON policy)",
                encryption_in_transit.aws_s3_tls_only,
                {},
            ),
            (
                ("Policy",),
                _ABSENT,
                "policy",
                "Policy (absent or not a JSON policy)",
                encryption_in_transit.aws_s3_tls_only,
                {},
            ),
        ],
    ),
    (
        "S3BucketAccess",
        lambda a: S3BucketAccess(**BASE, **s3.parse_bucket_acl(a)),
        ACL,
        [
            (
                ("Grants",),
                _ABSENT,
                "grants",
                "Grants",
                public_exposure.aws_s3_bucket_not_public,
                {},
            ),
            (
                ("Grants", 0, "Grantee"),
                _ABSENT,
                "grants",
                "Grants[].Grantee.Type, its URI/ID/EmailAddress and Permission",
                public_exposure.aws_s3_bucket_not_public,
                {},
            ),
        ],
    ),
    (
        "S3BucketPublicAccessBlock",
        lambda a: S3BucketPublicAccessBlock(**BASE, **s3.parse_public_access_block(a)),
        PAB,
        [
            (
                ("PublicAccessBlockConfiguration", key),
                _ABSENT,
                "configuration",
                f"PublicAccessBlockConfiguration.{key}",
                public_exposure.aws_s3_bucket_public_access_block,
                {"aws_s3_account_public_access_block": NO_ACCOUNT_PAB},
            )
            for key in PAB["PublicAccessBlockConfiguration"]
        ],
    ),
    (
        "AccountPublicAccessBlock",
        lambda a: AccountPublicAccessBlock(account_id=ACCOUNT, **s3.parse_public_access_block(a)),
        PAB,
        [
            (
                ("PublicAccessBlockConfiguration", "RestrictPublicBuckets"),
                "yes",
                "configuration",
                "PublicAccessBlockConfiguration.RestrictPublicBuckets",
                public_exposure.aws_s3_account_public_access_block,
                {},
            )
        ],
    ),
    (
        "S3BucketEncryption",
        lambda a: S3BucketEncryption(**BASE, **s3.parse_bucket_encryption(a)),
        ENCRYPTION,
        [
            (
                ("ServerSideEncryptionConfiguration", "Rules"),
                _ABSENT,
                "algorithms",
                "ServerSideEncryptionConfiguration.Rules",
                encryption_at_rest.aws_s3_default_encryption,
                {},
            ),
            (
                (
                    "ServerSideEncryptionConfiguration",
                    "Rules",
                    0,
                    "ApplyServerSideEncryptionByDefault",
                ),
                _ABSENT,
                "algorithms",
                "ServerSideEncryptionConfiguration.Rules[].ApplyServerSideEncryptionByDefault"
                ".SSEAlgorithm",
                encryption_at_rest.aws_s3_default_encryption,
                {},
            ),
        ],
    ),
    (
        "EbsEncryptionDefault",
        lambda a: ec2.parse_ebs_encryption_default(REGION, a),
        {"EbsEncryptionByDefault": True},
        [
            (
                ("EbsEncryptionByDefault",),
                _ABSENT,
                "enabled",
                "EbsEncryptionByDefault",
                encryption_at_rest.aws_ebs_default_encryption,
                {},
            )
        ],
    ),
    (
        "EbsVolume",
        lambda a: ec2.parse_volume(REGION, a),
        VOLUME,
        [
            (
                ("Encrypted",),
                _ABSENT,
                "encrypted",
                "Encrypted",
                encryption_at_rest.aws_ebs_volume_encrypted,
                {},
            )
        ],
    ),
    (
        "SecurityGroup",
        lambda a: ec2.parse_security_group(REGION, a),
        GROUP,
        [
            (
                ("IpPermissions",),
                _ABSENT,
                "ingress",
                "IpPermissions",
                network_ingress.aws_sg_admin_ports_closed,
                {},
            ),
            (
                ("GroupName",),
                _ABSENT,
                "group_name",
                "GroupName",
                network_ingress.aws_default_sg_closed,
                {},
            ),
        ],
    ),
    (
        "DbInstance",
        lambda a: rds.parse_db_instance(REGION, a),
        DB,
        [
            (
                ("PubliclyAccessible",),
                _ABSENT,
                "publicly_accessible",
                "PubliclyAccessible",
                public_exposure.aws_rds_not_public,
                {},
            ),
            (
                ("StorageEncrypted",),
                _ABSENT,
                "storage_encrypted",
                "StorageEncrypted",
                encryption_at_rest.aws_rds_storage_encrypted,
                {},
            ),
            (
                ("BackupRetentionPeriod",),
                _ABSENT,
                "backup_retention_days",
                "BackupRetentionPeriod",
                backup_and_recovery.aws_rds_backups,
                {},
            ),
        ],
    ),
    (
        "DynamoTable",
        lambda a: dynamodb.DynamoTable(
            account_id=ACCOUNT,
            region="us-east-1",
            name="t",
            arn="arn:t",
            **dynamodb.parse_continuous_backups(a),
        ),
        PITR,
        [
            (
                (
                    "ContinuousBackupsDescription",
                    "PointInTimeRecoveryDescription",
                    "PointInTimeRecoveryStatus",
                ),
                _ABSENT,
                "pitr_status",
                "ContinuousBackupsDescription.PointInTimeRecoveryDescription."
                "PointInTimeRecoveryStatus",
                backup_and_recovery.aws_dynamodb_pitr,
                {},
            )
        ],
    ),
    (
        "KmsKey",
        lambda a: kms.parse_key_metadata(KEY_BASE, a),
        KEY,
        [
            (
                ("KeyMetadata", field),
                _ABSENT,
                attr,
                f"KeyMetadata.{field}",
                key_management.aws_kms_key_rotation,
                {},
            )
            for field, attr in (
                ("KeyManager", "manager"),
                ("KeyState", "state"),
                ("KeySpec", "spec"),
                ("KeyUsage", "usage"),
                ("Origin", "origin"),
            )
        ],
    ),
    (
        "KmsKey rotation",
        _key_with_rotation,
        {"KeyRotationEnabled": True},
        [
            (
                ("KeyRotationEnabled",),
                _ABSENT,
                "rotation_enabled",
                "KeyRotationEnabled",
                key_management.aws_kms_key_rotation,
                {},
            )
        ],
    ),
    (
        "GuardDutyStatus",
        lambda a: guardduty.parse_guardduty(REGION, {"d1": a}),
        {"Status": "ENABLED"},
        [
            (
                ("Status",),
                _ABSENT,
                "detectors",
                "Status of detector d1",
                threat_detection.aws_guardduty_enabled,
                {},
            )
        ],
    ),
]

COMPLETE = [pytest.param(parse, answer, id=name) for name, parse, answer, _ in CASES]
MISSING = [
    pytest.param(parse, answer, *case, id=f"{name}-{case[3]}")
    for name, parse, answer, cases in CASES
    for case in cases
]


def _judge(check: Check, model: Any, kwargs: dict[str, Any]) -> RecordingView:
    view = RecordingView(model)
    with contextlib.suppress(Exception):  # what matters here is what the check read
        check(view, **kwargs)
    return view


@pytest.mark.parametrize(("parse", "answer"), COMPLETE)
def test_a_complete_answer_has_nothing_missing(parse: Parse, answer: Any) -> None:
    assert parse(answer).missing_fields == {}


@pytest.mark.parametrize(
    ("parse", "answer", "path", "value", "attr", "api_name", "check", "kwargs"), MISSING
)
def test_each_judged_field_missing_is_an_error(
    parse: Parse,
    answer: Any,
    path: tuple[Any, ...],
    value: Any,
    attr: str,
    api_name: str,
    check: Check,
    kwargs: dict[str, Any],
) -> None:
    model = parse(_without(answer, path, value))
    assert model.missing_fields.get(attr) == api_name
    # the check judging the field reads it: the engine makes that an error finding
    assert api_name in missing_read(_judge(check, model, kwargs))
    message = missing_message(model, [api_name], "aws")
    assert message == f"AWS did not return {api_name} for {model.resource_id}: cannot judge"
    # and on the complete answer the same check reads nothing missing
    assert missing_read(_judge(check, parse(answer), kwargs)) == []


def test_an_unreadable_rotation_date_keeps_the_key() -> None:
    keys = access_keys([_one_user({**REPORT_ROW, "access_key_2_last_rotated": "garbled"})])
    assert [k.slot for k in keys] == [1, 2]
    assert keys[1].missing_fields == {
        "last_rotated": "access_key_2_last_rotated ('garbled' is not a timestamp)"
    }


# -- end to end, through moto and the engine -------------------------------------------


def test_unparseable_bucket_policy_is_an_error_not_an_empty_policy(aws: AwsEnv) -> None:
    s3c = aws.client("s3")
    s3c.create_bucket(Bucket="garbled")
    s3c.put_bucket_policy(Bucket="garbled", Policy="{not json")  # moto stores it as given
    result = aws.run("aws.s3.bucket-not-public", "aws.s3.tls-only")
    assert {f.check_id: f.status.value for f in result.findings} == {
        "aws.s3.bucket-not-public": "error",
        "aws.s3.tls-only": "error",
    }
    for f in result.findings:
        assert f.message == (
            "AWS did not return Policy (absent or not a JSON policy) for "
            "arn:aws:s3:::garbled: cannot judge"
        )
        assert f.evidence["missing_fields"] == ["Policy (absent or not a JSON policy)"]


def test_unparseable_trust_policy_is_an_error_not_a_skip(aws: AwsEnv) -> None:
    aws.client("iam").create_role(RoleName="garbled", AssumeRolePolicyDocument="{bad")
    found = aws.verdicts("aws.iam.cross-account-external-id")
    assert found["garbled"].status.value == "error"
    assert "AssumeRolePolicyDocument (absent or not a JSON policy)" in found["garbled"].message
