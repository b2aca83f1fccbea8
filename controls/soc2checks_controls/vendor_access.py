"""Vendor access: third parties reach the estate only through controlled, limited grants.

Access granted to other organizations must be scoped and protected against confused-
deputy use (CC9.2 vendor risk, CC6.3 least privilege).
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import IamRole
from soc2checks_controls._policy import trusted_accounts as _trusts
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
    (``Principal: "*"``, or ``NotPrincipal``: everyone but some) fails whatever its
    external ID, which is not a secret. Only ``StringEquals`` (or ``StringLike``
    without wildcards) on ``sts:ExternalId`` enforces one; ``StringLike "*"``,
    ``...IfExists`` and ``Null`` do not.
    """
    external = [
        t
        for t in _trusts(role.trust_policy)
        if t.account == "*" or (t.account != role.account_id and t.account not in trusted_accounts)
    ]
    if not external:
        skip(f"role {role.name} trusts no other account")
    unprotected = sorted({t.account for t in external if not t.external_id})
    assert not unprotected, (
        f"role {role.name} can be assumed from account(s) {', '.join(unprotected)} "
        "without an enforced sts:ExternalId condition"
    )
