"""IAM checks against moto: pass, fail and not-applicable for each."""

from __future__ import annotations

import json

from .conftest import ACCOUNT, AwsEnv, statuses

ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
NOT_IAM = {  # everything but IAM on everything: admin in all but name
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}],
}
READ_ONLY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
}


def _user(
    aws: AwsEnv, name: str, *, password: bool = False, mfa: bool = False, key: bool = False
) -> None:
    iam = aws.client("iam")
    iam.create_user(UserName=name)
    if password:
        iam.create_login_profile(UserName=name, Password="Long-Enough-Password-1")
    if mfa:
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"][
            "SerialNumber"
        ]
        iam.enable_mfa_device(
            UserName=name,
            SerialNumber=serial,
            AuthenticationCode1="123456",
            AuthenticationCode2="654321",
        )
    if key:
        iam.create_access_key(UserName=name)


# -- root ---------------------------------------------------------------------------


def test_root_mfa_fails_without_and_passes_with_mfa(aws: AwsEnv) -> None:
    found = aws.verdicts("aws.iam.root-mfa")
    assert statuses(found) == {"root": "fail"}
    assert ACCOUNT in found["root"].message
    assert found["root"].scope == {"account": ACCOUNT}
    assert found["root"].criteria == ("CC6.1", "CC6.2")
    aws.iam_backend().account_summary._account_mfa_enabled = 1
    assert statuses(aws.verdicts("aws.iam.root-mfa")) == {"root": "pass"}


def test_root_mfa_not_applicable_to_iam_users(aws: AwsEnv) -> None:
    # N/A: IAM users, with or without MFA, never make a root-mfa finding.
    _user(aws, "alice", password=True)
    assert set(aws.verdicts("aws.iam.root-mfa")) == {"root"}


def test_root_access_keys(aws: AwsEnv) -> None:
    _user(aws, "alice", key=True)  # an IAM user's key is not the root's (N/A)
    assert statuses(aws.verdicts("aws.iam.root-access-keys")) == {"root": "pass"}
    aws.iam_backend().account_summary._account_access_keys_present = 1
    found = aws.verdicts("aws.iam.root-access-keys")
    assert statuses(found) == {"root": "fail"}
    assert "has access keys" in found["root"].message
    assert found["root"].severity.value == "critical"


# -- users --------------------------------------------------------------------------


def test_console_user_mfa(aws: AwsEnv) -> None:
    _user(aws, "alice", password=True, mfa=True)
    _user(aws, "bob", password=True)
    _user(aws, "ci", key=True)
    found = aws.verdicts("aws.iam.console-user-mfa")
    assert statuses(found) == {"alice": "pass", "bob": "fail", "ci": "skip"}
    assert found["bob"].message == "IAM user bob can sign in to the console without MFA"
    assert "root" not in found  # the root user is never counted as an IAM user
    assert found["bob"].evidence  # the engine records what the check read


def test_password_policy(aws: AwsEnv) -> None:
    found = aws.verdicts("aws.iam.password-policy")
    assert statuses(found) == {"account-password-policy": "fail"}
    assert "no IAM password policy" in found["account-password-policy"].message
    iam = aws.client("iam")
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=24)
    found = aws.verdicts("aws.iam.password-policy")
    assert "minimum length 8 < 14" in found["account-password-policy"].message
    iam.update_account_password_policy(MinimumPasswordLength=14, PasswordReusePrevention=24)
    assert statuses(aws.verdicts("aws.iam.password-policy")) == {"account-password-policy": "pass"}
    # a tunable from the config raises the bar
    found = aws.verdicts(
        "aws.iam.password-policy", params={"aws.iam.password-policy": {"min_length": 16}}
    )
    assert statuses(found) == {"account-password-policy": "fail"}


def test_access_key_rotation(aws: AwsEnv) -> None:
    _user(aws, "fresh", key=True)
    _user(aws, "stale", key=True)
    _user(aws, "parked", key=True)
    _user(aws, "nokeys", password=True)
    aws.age_access_keys("stale", days=120)
    aws.age_access_keys("parked", days=400)
    iam = aws.client("iam")
    key_id = iam.list_access_keys(UserName="parked")["AccessKeyMetadata"][0]["AccessKeyId"]
    iam.update_access_key(UserName="parked", AccessKeyId=key_id, Status="Inactive")
    found = aws.verdicts("aws.iam.access-key-rotation", key=_key_owner)
    assert statuses(found) == {
        "fresh/access-key-1": "pass",
        "stale/access-key-1": "fail",
        "parked/access-key-1": "skip",
    }
    assert "nokeys" not in str(found)  # users without keys have no key to judge
    assert "120 days old (limit 90)" in found["stale/access-key-1"].message
    found = aws.verdicts(
        "aws.iam.access-key-rotation",
        key=_key_owner,
        params={"aws.iam.access-key-rotation": {"max_age_days": 180}},
    )
    assert found["stale/access-key-1"].status.value == "pass"


def _key_owner(resource_id: str) -> str:
    return resource_id.split(":user/", 1)[1]


def test_unused_credentials(aws: AwsEnv) -> None:
    _user(aws, "active", password=True, key=True)
    aws.age_user("active", days=200, password_last_used_days=3)
    aws.age_access_keys("active", days=200, last_used_days=1)
    _user(aws, "idle-password", password=True)
    aws.age_user("idle-password", days=300, password_last_used_days=60)
    _user(aws, "never-used-key", key=True)
    aws.age_access_keys("never-used-key", days=50)
    _user(aws, "new-hire", password=True)  # created today, never signed in: fine
    _user(aws, "no-credentials")
    found = aws.verdicts("aws.iam.unused-credentials")
    assert statuses(found) == {
        "active": "pass",
        "idle-password": "fail",
        "never-used-key": "fail",
        "new-hire": "pass",
        "no-credentials": "skip",
    }
    assert "console password last used 60 days ago" in found["idle-password"].message
    assert "access key 1 never used in 50 days" in found["never-used-key"].message


def test_no_direct_admin(managed_policies: AwsEnv) -> None:
    aws = managed_policies
    iam = aws.client("iam")
    _user(aws, "alice")
    _user(aws, "root-like")
    _user(aws, "inline-admin")
    _user(aws, "custom-admin")
    _user(aws, "grouped")
    iam.attach_user_policy(
        UserName="root-like", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    iam.put_user_policy(
        UserName="inline-admin", PolicyName="all", PolicyDocument=json.dumps(ALLOW_ALL)
    )
    custom = iam.create_policy(PolicyName="Everything", PolicyDocument=json.dumps(ALLOW_ALL))
    iam.attach_user_policy(UserName="custom-admin", PolicyArn=custom["Policy"]["Arn"])
    ro = iam.create_policy(PolicyName="ReadOnly", PolicyDocument=json.dumps(READ_ONLY))
    iam.attach_user_policy(UserName="alice", PolicyArn=ro["Policy"]["Arn"])
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(
        GroupName="admins", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    iam.add_user_to_group(GroupName="admins", UserName="grouped")
    # admin through a group's inline policy and a group's customer-managed policy
    _user(aws, "ops-inline")
    _user(aws, "ops-managed")
    _user(aws, "readers")
    iam.create_group(GroupName="ops")
    iam.put_group_policy(
        GroupName="ops", PolicyName="ops-all", PolicyDocument=json.dumps(ALLOW_ALL)
    )
    iam.add_user_to_group(GroupName="ops", UserName="ops-inline")
    iam.create_group(GroupName="power")
    power = iam.create_policy(PolicyName="AllButIam", PolicyDocument=json.dumps(NOT_IAM))
    iam.attach_group_policy(GroupName="power", PolicyArn=power["Policy"]["Arn"])
    iam.add_user_to_group(GroupName="power", UserName="ops-managed")
    iam.create_group(GroupName="readers")
    iam.attach_group_policy(GroupName="readers", PolicyArn=ro["Policy"]["Arn"])
    iam.add_user_to_group(GroupName="readers", UserName="readers")
    iam.add_user_to_group(GroupName="readers", UserName="alice")
    aws.server.reset_counts()
    found = aws.verdicts("aws.iam.no-direct-admin")
    # one authorization-details listing covers users, groups and all their policies
    iam_calls = {k: v for k, v in aws.server.counts.items() if k.startswith("iam:")}
    assert iam_calls == {"iam:GetAccountAuthorizationDetails": 1}
    assert statuses(found) == {
        "alice": "pass",
        "root-like": "fail",
        "inline-admin": "fail",
        "custom-admin": "fail",
        "grouped": "fail",
        "ops-inline": "fail",
        "ops-managed": "fail",
        "readers": "pass",
    }
    assert "AdministratorAccess" in found["root-like"].message
    assert "inline policy all" in found["inline-admin"].message
    assert "policy/Everything" in found["custom-admin"].message
    assert "AdministratorAccess (through group admins)" in found["grouped"].message
    assert "inline policy ops-all (through group ops)" in found["ops-inline"].message
    assert "policy/AllButIam (through group power)" in found["ops-managed"].message


def test_no_direct_admin_not_applicable_without_users(aws: AwsEnv) -> None:
    assert aws.verdicts("aws.iam.no-direct-admin") == {}


def test_admin_policies(aws: AwsEnv) -> None:
    iam = aws.client("iam")
    _user(aws, "alice")
    admin = iam.create_policy(PolicyName="Everything", PolicyDocument=json.dumps(ALLOW_ALL))
    ro = iam.create_policy(PolicyName="ReadOnly", PolicyDocument=json.dumps(READ_ONLY))
    iam.create_policy(PolicyName="Draft", PolicyDocument=json.dumps(ALLOW_ALL))
    iam.attach_user_policy(UserName="alice", PolicyArn=admin["Policy"]["Arn"])
    iam.attach_user_policy(UserName="alice", PolicyArn=ro["Policy"]["Arn"])
    found = aws.verdicts("aws.iam.admin-policies")
    assert statuses(found) == {"Everything": "fail", "ReadOnly": "pass", "Draft": "skip"}
    assert found["Everything"].message.startswith("customer-managed policy Everything allows")


def test_cross_account_external_id(aws: AwsEnv) -> None:
    iam = aws.client("iam")

    def role(
        name: str, principal: object, condition: object = None, key: str = "Principal"
    ) -> None:
        statement: dict[str, object] = {
            "Effect": "Allow",
            key: principal,
            "Action": "sts:AssumeRole",
        }
        if condition:
            statement["Condition"] = condition
        doc = {"Version": "2012-10-17", "Statement": [statement]}
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(doc))

    role(
        "vendor-ok",
        {"AWS": "arn:aws:iam::111122223333:root"},
        {"StringEquals": {"sts:ExternalId": "x"}},
    )
    role("vendor-bad", {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"]})
    role("service", {"Service": "lambda.amazonaws.com"})
    role("same-account", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
    role("own-org", {"AWS": "arn:aws:iam::777788889999:role/deployer"})
    vendor = {"AWS": "arn:aws:iam::111122223333:root"}
    role("any-id", vendor, {"StringLike": {"sts:ExternalId": "*"}})
    role("if-exists", vendor, {"StringEqualsIfExists": {"sts:ExternalId": "x"}})
    role("present-only", vendor, {"Null": {"sts:ExternalId": "false"}})
    role("like-exact", vendor, {"StringLike": {"sts:ExternalId": "x-123"}})
    role("anyone", "*", {"StringEquals": {"sts:ExternalId": "x"}})
    role("anyone-aws", {"AWS": "*"}, {"StringEquals": {"sts:ExternalId": "x"}})
    role("all-but", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, None, key="NotPrincipal")
    found = aws.verdicts(
        "aws.iam.cross-account-external-id",
        params={"aws.iam.cross-account-external-id": {"trusted_accounts": ["777788889999"]}},
    )
    assert statuses(found) == {
        "vendor-ok": "pass",
        "vendor-bad": "fail",
        "service": "skip",
        "same-account": "skip",
        "own-org": "skip",
        "any-id": "fail",
        "if-exists": "fail",
        "present-only": "fail",
        "like-exact": "pass",
        "anyone": "fail",
        "anyone-aws": "fail",
        "all-but": "fail",
    }
    assert "111122223333, 444455556666" in found["vendor-bad"].message
    assert "account(s) *" in found["anyone"].message
    # without trusted_accounts the org account is an outsider
    found = aws.verdicts("aws.iam.cross-account-external-id")
    assert found["own-org"].status.value == "fail"
