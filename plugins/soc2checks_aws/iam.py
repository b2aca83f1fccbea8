"""IAM fixtures: account summary, password policy, credential report, authorization details.

Four account-wide calls cover every IAM check: no per-user request at all.
"""

from __future__ import annotations

import time
from typing import Any

from soc2checks import resource
from soc2checks_aws._iam_parse import (
    access_keys,
    parse_account_summary,
    parse_credential_report,
    parse_managed_policies,
    parse_password_policy,
    parse_roles,
    parse_user_policies,
)
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import AwsApiError, call, call_required, translate
from soc2checks_aws.models import (
    AccessKey,
    AccountSummary,
    AwsAccount,
    AwsModel,
    CredentialReportUser,
    IamRole,
    IamUserPolicies,
    ManagedPolicy,
    PasswordPolicy,
)

__all__ = ["parse_credential_report"]

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
    return parse_account_summary(aws_account.account_id, answer)


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
    return parse_password_policy(aws_account.account_id, answer)


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
    return access_keys(aws_iam_users)


class AuthorizationDetails(AwsModel):
    """The raw answer of ``iam:GetAccountAuthorizationDetails``.

    Users, groups, roles and customer-managed policies, in one paginated call: a
    group's policies are fetched once, however many users it has.
    """

    account_id: str
    users: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    policies: list[dict[str, Any]]
    groups: list[dict[str, Any]] = []

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
    """Users, groups, roles and customer-managed policies in one paginated call."""
    account = aws_account.account_id
    iam = aws_clients.client("iam", account)
    users: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    policies: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    try:
        # AWS's default page is 100 items; 1,000 is the most it allows per call
        pages = iam.get_paginator("get_account_authorization_details").paginate(
            Filter=["User", "Group", "Role", "LocalManagedPolicy"],
            PaginationConfig={"PageSize": 1000},
        )
        for page in pages:
            users.extend(page.get("UserDetailList", []))
            groups.extend(page.get("GroupDetailList", []))
            roles.extend(page.get("RoleDetailList", []))
            policies.extend(page.get("Policies", []))
    except Exception as exc:
        raise translate(exc, "iam:GetAccountAuthorizationDetails", f"account {account}") from exc
    return AuthorizationDetails(
        account_id=account, users=users, roles=roles, policies=policies, groups=groups
    )


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
    return parse_managed_policies(d.account_id, d.policies)


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
    """Each IAM user with its inline and attached policies and those of its groups."""
    d = aws_iam_authorization_details
    return parse_user_policies(d.account_id, d.users, d.groups, d.policies)


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
    return parse_roles(d.account_id, d.roles)
