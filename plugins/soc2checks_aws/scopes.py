"""Scope fixtures: the accounts and regions a run fans out over, and the run's clients."""

from __future__ import annotations

from typing import TYPE_CHECKING

from soc2checks import Config, resource, scope
from soc2checks_aws.clients import AwsClients, clients_for
from soc2checks_aws.models import AwsAccount, AwsRegion

if TYPE_CHECKING:
    from soc2checks._model import RunFacts


@resource("aws_clients", scope="run", provider="aws")
def aws_clients(config: Config, run_facts: RunFacts) -> AwsClients:
    """The run's boto3 clients, built lazily per account, region and service.

    Records into ``run.facts`` the endpoint and the caller identity
    (``sts:GetCallerIdentity``) of every account reached, so a redirected
    ``AWS_ENDPOINT_URL`` or an unexpected role shows in the report.
    """
    return clients_for(config, run_facts)


@scope("aws_account", level="account", provider="aws", permissions=["organizations:ListAccounts"])
def aws_account(aws_clients: AwsClients, run_facts: RunFacts) -> list[AwsAccount]:
    """The caller's account; or the accounts listed, or every active account of the org.

    ``organizations:ListAccounts`` is needed only with ``accounts = "organization"``.
    The accounts in scope are recorded in ``run.facts`` (``aws`` / ``accounts``).
    """
    clients = aws_clients
    if clients.settings.accounts == "organization":
        found = [AwsAccount(account_id=a, name=n) for a, n in clients.organization_accounts()]
    else:
        found = [AwsAccount(account_id=a) for a in clients.account_ids()]
    run_facts.record("aws", "accounts", sorted(a.account_id for a in found))
    return found


@scope("aws_region", level="region", provider="aws", permissions=["ec2:DescribeRegions"])
def aws_region(aws_account: AwsAccount, aws_clients: AwsClients) -> list[AwsRegion]:
    """The configured regions (``regions``, ``--region``), else the account's enabled ones.

    With configured regions no API call is made. Otherwise one
    ``ec2:DescribeRegions`` per account (which needs a session in that account, so a
    failing ``sts:AssumeRole`` shows up here, for that account only).
    """
    clients = aws_clients
    if not clients.regions_override:
        clients.session(aws_account.account_id)  # raises for this account only
    return [
        AwsRegion(account_id=aws_account.account_id, region=r)
        for r in clients.enabled_regions(aws_account.account_id)
    ]
