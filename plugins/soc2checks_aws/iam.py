"""IAM fixtures: account summary, password policy, credential report, authorization details.

Four account-wide calls cover every IAM check: no per-user request at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from typing import Any

from soc2checks import resource
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import AwsApiError, call, call_required, translate
from soc2checks_aws.models import (
    AccessKey,
    AccountSummary,
    AttachedPolicy,
    AwsAccount,
    AwsModel,
    CredentialReportUser,
    IamRole,
    IamUserPolicies,
    InlinePolicy,
    ManagedPolicy,
    PasswordPolicy,
)
from soc2checks_aws.policy import grants_full_admin, normalize_document

ROOT_ROW = "<root_account>"
REPORT_POLL_SECONDS = (0.2, 0.5, 1.0, 2.0)
REPORT_MAX_WAIT_SECONDS = 120.0


@resource(
    "aws_account_summary",
    scope="account",
    provider="aws",
    permissions=["iam:GetAccountSummary"],
    resource_type="AWS::IAM::AccountSummary",
)
def aws_account_summary(aws_account: AwsAccount, aws_clients: AwsClients) -> AccountSummary:
    """The root user's MFA and access-key state, from ``iam:GetAccountSummary``."""
    iam = aws_clients.client("iam", aws_account.account_id)
    answer = call_required(
        iam.get_account_summary, "iam:GetAccountSummary", f"account {aws_account.account_id}"
    )
    summary = answer.get("SummaryMap", {})
    return AccountSummary(
        account_id=aws_account.account_id,
        root_mfa_enabled=bool(summary.get("AccountMFAEnabled", 0)),
        root_access_keys_present=bool(summary.get("AccountAccessKeysPresent", 0)),
    )


@resource(
    "aws_password_policy",
    scope="account",
    provider="aws",
    permissions=["iam:GetAccountPasswordPolicy"],
    resource_type="AWS::IAM::AccountPasswordPolicy",
)
def aws_password_policy(aws_account: AwsAccount, aws_clients: AwsClients) -> PasswordPolicy:
    """The account password policy (``exists=False`` when none is set)."""
    iam = aws_clients.client("iam", aws_account.account_id)
    answer = call(
        iam.get_account_password_policy,
        "iam:GetAccountPasswordPolicy",
        f"account {aws_account.account_id}",
        absent=("NoSuchEntity",),
    )
    if answer is None:
        return PasswordPolicy(account_id=aws_account.account_id, exists=False)
    p = answer.get("PasswordPolicy", {})
    return PasswordPolicy(
        account_id=aws_account.account_id,
        exists=True,
        minimum_length=p.get("MinimumPasswordLength"),
        password_reuse_prevention=p.get("PasswordReusePrevention"),
        require_symbols=bool(p.get("RequireSymbols", False)),
        require_numbers=bool(p.get("RequireNumbers", False)),
        require_uppercase=bool(p.get("RequireUppercaseCharacters", False)),
        require_lowercase=bool(p.get("RequireLowercaseCharacters", False)),
        max_password_age=p.get("MaxPasswordAge"),
    )


def _when(value: str | None) -> dt.datetime | None:
    """A credential-report timestamp; ``N/A``, ``no_information`` etc. are ``None``."""
    if not value or value in ("N/A", "no_information", "not_supported"):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def parse_credential_report(account_id: str, content: str) -> list[CredentialReportUser]:
    """The IAM users of a credential report CSV; the root row is left out."""
    users: list[CredentialReportUser] = []
    for row in csv.DictReader(io.StringIO(content)):
        name = row.get("user", "")
        if not name or name == ROOT_ROW or row.get("arn", "").endswith(":root"):
            continue
        created = _when(row.get("user_creation_time"))
        users.append(
            CredentialReportUser(
                account_id=account_id,
                name=name,
                arn=row["arn"],
                created=created or dt.datetime.fromtimestamp(0, dt.timezone.utc),
                password_enabled=_flag(row.get("password_enabled")),
                password_last_used=_when(row.get("password_last_used")),
                password_last_changed=_when(row.get("password_last_changed")),
                mfa_active=_flag(row.get("mfa_active")),
                access_key_1_active=_flag(row.get("access_key_1_active")),
                access_key_1_last_rotated=_when(row.get("access_key_1_last_rotated")),
                access_key_1_last_used=_when(row.get("access_key_1_last_used_date")),
                access_key_2_active=_flag(row.get("access_key_2_active")),
                access_key_2_last_rotated=_when(row.get("access_key_2_last_rotated")),
                access_key_2_last_used=_when(row.get("access_key_2_last_used_date")),
            )
        )
    return users


@resource(
    "aws_iam_users",
    scope="account",
    provider="aws",
    permissions=["iam:GenerateCredentialReport", "iam:GetCredentialReport"],
    resource_type="AWS::IAM::User",
)
def aws_iam_users(aws_account: AwsAccount, aws_clients: AwsClients) -> list[CredentialReportUser]:
    """Every IAM user's password, MFA and access-key state from one credential report.

    The root user's row is not an IAM user and is left out (its state comes from
    ``aws_account_summary``).
    """
    account = aws_account.account_id
    iam = aws_clients.client("iam", account)
    where = f"account {account}"
    deadline = time.monotonic() + REPORT_MAX_WAIT_SECONDS
    attempt = 0
    while True:
        state = call_required(
            iam.generate_credential_report, "iam:GenerateCredentialReport", where
        ).get("State")
        if state == "COMPLETE":
            break
        if time.monotonic() > deadline:
            raise AwsApiError(f"iam:GenerateCredentialReport on {where}: still {state} after 120 s")
        time.sleep(REPORT_POLL_SECONDS[min(attempt, len(REPORT_POLL_SECONDS) - 1)])
        attempt += 1
    answer = call_required(iam.get_credential_report, "iam:GetCredentialReport", where)
    content = answer.get("Content", b"")
    text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    return parse_credential_report(account, text)


@resource(
    "aws_iam_access_keys",
    scope="account",
    provider="aws",
    permissions=["iam:GenerateCredentialReport", "iam:GetCredentialReport"],
    resource_type="AWS::IAM::AccessKey",
)
def aws_iam_access_keys(aws_iam_users: list[CredentialReportUser]) -> list[AccessKey]:
    """Every IAM user access key (active or not), from the credential report."""
    keys: list[AccessKey] = []
    for u in aws_iam_users:
        for slot, active, rotated, used in (
            (1, u.access_key_1_active, u.access_key_1_last_rotated, u.access_key_1_last_used),
            (2, u.access_key_2_active, u.access_key_2_last_rotated, u.access_key_2_last_used),
        ):
            if rotated is None:
                continue
            keys.append(
                AccessKey(
                    account_id=u.account_id,
                    user_name=u.name,
                    user_arn=u.arn,
                    slot=slot,
                    active=active,
                    last_rotated=rotated,
                    last_used=used,
                )
            )
    return keys


class AuthorizationDetails(AwsModel):
    """The raw answer of ``iam:GetAccountAuthorizationDetails`` (users, roles, policies)."""

    account_id: str
    users: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    policies: list[dict[str, Any]]

    @property
    def resource_id(self) -> str:
        return f"arn:aws:iam::{self.account_id}:authorization-details"


_AUTH_DETAILS = ["iam:GetAccountAuthorizationDetails"]


@resource(
    "aws_iam_authorization_details", scope="account", provider="aws", permissions=_AUTH_DETAILS
)
def aws_iam_authorization_details(
    aws_account: AwsAccount, aws_clients: AwsClients
) -> AuthorizationDetails:
    """Users, roles and customer-managed policies in one paginated call."""
    account = aws_account.account_id
    iam = aws_clients.client("iam", account)
    users: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    policies: list[dict[str, Any]] = []
    try:
        pages = iam.get_paginator("get_account_authorization_details").paginate(
            Filter=["User", "Role", "LocalManagedPolicy"]
        )
        for page in pages:
            users.extend(page.get("UserDetailList", []))
            roles.extend(page.get("RoleDetailList", []))
            policies.extend(page.get("Policies", []))
    except Exception as exc:
        raise translate(exc, "iam:GetAccountAuthorizationDetails", f"account {account}") from exc
    return AuthorizationDetails(account_id=account, users=users, roles=roles, policies=policies)


def _default_document(policy: dict[str, Any]) -> dict[str, Any]:
    default = policy.get("DefaultVersionId")
    for version in policy.get("PolicyVersionList", []):
        if version.get("IsDefaultVersion") or version.get("VersionId") == default:
            return normalize_document(version.get("Document"))
    return {}


@resource(
    "aws_iam_policies",
    scope="account",
    provider="aws",
    permissions=_AUTH_DETAILS,
    resource_type="AWS::IAM::ManagedPolicy",
)
def aws_iam_policies(aws_iam_authorization_details: AuthorizationDetails) -> list[ManagedPolicy]:
    """Customer-managed policies with their default version's document."""
    d = aws_iam_authorization_details
    return [
        ManagedPolicy(
            account_id=d.account_id,
            name=p.get("PolicyName") or p["Arn"].rsplit("/", 1)[-1],
            arn=p["Arn"],
            attachment_count=int(p.get("AttachmentCount", 0)),
            document=_default_document(p),
        )
        for p in d.policies
    ]


@resource(
    "aws_iam_user_policies",
    scope="account",
    provider="aws",
    permissions=_AUTH_DETAILS,
    resource_type="AWS::IAM::User",
)
def aws_iam_user_policies(
    aws_iam_authorization_details: AuthorizationDetails,
) -> list[IamUserPolicies]:
    """Each IAM user with its inline and directly attached managed policies."""
    d = aws_iam_authorization_details
    admin_arns = {p["Arn"] for p in d.policies if grants_full_admin(_default_document(p))}
    users: list[IamUserPolicies] = []
    for u in d.users:
        attached = [
            AttachedPolicy(name=a.get("PolicyName", ""), arn=a.get("PolicyArn", ""))
            for a in u.get("AttachedManagedPolicies", [])
        ]
        users.append(
            IamUserPolicies(
                account_id=d.account_id,
                name=u.get("UserName", ""),
                arn=u["Arn"],
                inline_policies=[
                    InlinePolicy(
                        name=p.get("PolicyName", ""),
                        document=normalize_document(p.get("PolicyDocument")),
                    )
                    for p in u.get("UserPolicyList", [])
                ],
                attached_policies=attached,
                groups=list(u.get("GroupList", [])),
                admin_policy_arns=[a.arn for a in attached if a.arn in admin_arns],
            )
        )
    return users


@resource(
    "aws_iam_roles",
    scope="account",
    provider="aws",
    permissions=_AUTH_DETAILS,
    resource_type="AWS::IAM::Role",
)
def aws_iam_roles(aws_iam_authorization_details: AuthorizationDetails) -> list[IamRole]:
    """Every IAM role with its trust policy."""
    d = aws_iam_authorization_details
    return [
        IamRole(
            account_id=d.account_id,
            name=r.get("RoleName", ""),
            arn=r["Arn"],
            path=r.get("Path", "/"),
            trust_policy=normalize_document(r.get("AssumeRolePolicyDocument")),
        )
        for r in d.roles
    ]
