"""Vendor access: third parties reach the estate only through controlled, limited grants.

Access granted to other organizations must be scoped and protected against confused-
deputy use (CC9.2 vendor risk, CC6.3 least privilege).
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import IamRole
from soc2checks_aws.policy import as_list, statements
from soc2checks_github.models import OutsideCollaborator, UnverifiableError

vendor_access = control("vendor-access", criteria=["CC9.2", "CC6.3"])

# Checks for every provider sit side by side below, grouped by provider.


# --- github ---


@vendor_access.check(
    "github.org.outside-collaborators-admin",
    over="github_outside_collaborators",
    severity="high",
    remediation=(
        "Lower the collaborator's role on the listed repositories (Settings > Collaborators "
        "and teams) to write or less, or remove them when the engagement is over."
    ),
)
def github_outside_collaborator_not_admin(person: OutsideCollaborator) -> None:
    """No outside collaborator holds admin rights on a repository.

    Outside collaborators are people outside the organization (contractors, vendors);
    admin lets them change protections, secrets and access of the repository.
    """
    admin = sorted(repo for repo, role in person.permissions.items() if role == "admin")
    assert not admin, (
        f"outside collaborator {person.login} has admin on {len(admin)} repositor"
        f"{'y' if len(admin) == 1 else 'ies'}: {', '.join(admin)}"
    )
    if person.errors:
        repos = ", ".join(sorted(person.errors))
        raise UnverifiableError(
            f"could not read the collaborators of {repos}: {next(iter(person.errors.values()))}"
        )
    if not person.permissions:
        skip(f"{person.login} has no access to the repositories in scope")


# --- aws ---


def _aws_principal_accounts(statement: dict[str, object]) -> list[str]:
    """Account IDs (or ``*``) named by the AWS principals of a trust statement."""
    principal = statement.get("Principal")
    values = ["*"] if principal == "*" else []
    if isinstance(principal, dict):
        values = [str(v) for v in as_list(principal.get("AWS"))]
    accounts = []
    for v in values:
        if v == "*" or v.isdigit():
            accounts.append(v)
        elif v.startswith("arn:") and len(v.split(":")) > 4:
            accounts.append(v.split(":")[4])
    return accounts


def _aws_requires_external_id(statement: dict[str, object]) -> bool:
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return False
    for operator, pairs in condition.items():
        if not str(operator).startswith(("StringEquals", "StringLike")):
            continue
        if isinstance(pairs, dict) and any(str(k).lower() == "sts:externalid" for k in pairs):
            return True
    return False


@vendor_access.check(
    "aws.iam.cross-account-external-id",
    over="aws_iam_roles",
    severity="high",
    remediation=(
        'Add the condition {"StringEquals": {"sts:ExternalId": "<ID the vendor gave '
        "you>\"}} to the role's trust policy; if the account is your own, list it in "
        '[params."aws.iam.cross-account-external-id"] trusted_accounts.'
    ),
)
def aws_cross_account_external_id(role: IamRole, trusted_accounts: tuple[str, ...] = ()) -> None:
    """Roles that other accounts may assume require an external ID.

    Roles trusting only services, identity providers or their own account do not
    apply; accounts in ``trusted_accounts`` are exempt. A trust open to any principal
    ("*") counts as another account.
    """
    from soc2checks import skip

    external: list[tuple[str, bool]] = []
    for s in statements(role.trust_policy):
        if s.get("Effect") != "Allow":
            continue
        protected = _aws_requires_external_id(s)
        for account in _aws_principal_accounts(s):
            if account != role.account_id and account not in trusted_accounts:
                external.append((account, protected))
    if not external:
        skip(f"role {role.name} trusts no other account")
    unprotected = sorted({a for a, ok in external if not ok})
    assert not unprotected, (
        f"role {role.name} can be assumed from account(s) {', '.join(unprotected)} "
        "without an sts:ExternalId condition"
    )
