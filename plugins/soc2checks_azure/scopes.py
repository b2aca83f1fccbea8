"""Scope fixtures: the subscriptions and the tenant a run fans out over.

``subscriptions = "all"``: every ``Enabled`` subscription of ``subscriptions.list``;
others (Disabled, Warned, PastDue, Deleted) give no findings and are listed in the run
facts as excluded. A listed subscription the credential cannot see stays in scope, so
its checks become ``error`` findings instead of vanishing.
"""

from __future__ import annotations

from soc2checks import Config, RunFacts, resource, scope
from soc2checks_azure.clients import AzureClients, clients_for, rest
from soc2checks_azure.errors import AzureError, call
from soc2checks_azure.models import AzureSubscription, AzureTenant

SUBSCRIPTIONS_READ = "Microsoft.Resources/subscriptions/read"


@resource("azure_clients", scope="run", provider="azure")
def azure_clients(config: Config) -> AzureClients:
    """The run's Azure credential and clients."""
    return clients_for(config)


@scope(
    "azure_subscription",
    level="subscription",
    provider="azure",
    permissions=[SUBSCRIPTIONS_READ],
    description="Azure subscriptions: every Enabled one seen, or [azure] subscriptions",
)
def azure_subscription(azure_clients: AzureClients, run_facts: RunFacts) -> list[AzureSubscription]:
    """The subscriptions in scope, recorded in the run facts."""
    s = azure_clients.settings
    client = azure_clients.arm("subscription", "SubscriptionClient")
    listed = call(
        lambda: [rest(x) for x in client.subscriptions.list()], SUBSCRIPTIONS_READ, "/subscriptions"
    )
    seen = {x.get("subscriptionId", ""): x for x in listed}
    enabled = {k: v for k, v in seen.items() if v.get("state") == "Enabled"}
    not_enabled = sorted(f"{k} ({v.get('state')})" for k, v in seen.items() if k not in enabled)
    if s.subscriptions == "all":
        wanted = sorted(enabled)
    else:
        wanted = sorted(x for x in s.subscriptions if x in enabled or x not in seen)
    excluded = sorted(x for x in wanted if x in s.exclude_subscriptions)
    wanted = [x for x in wanted if x not in s.exclude_subscriptions]
    run_facts.record("azure", "endpoint", s.arm_url)
    run_facts.record("azure", "subscriptions", wanted)
    run_facts.record("azure", "subscriptions_count", len(wanted))
    run_facts.record("azure", "excluded_subscriptions", excluded)
    run_facts.record("azure", "not_enabled_subscriptions", not_enabled)
    run_facts.record("azure", "invisible_subscriptions", sorted(x for x in wanted if x not in seen))
    return [
        AzureSubscription(subscription_id=x, name=str(seen.get(x, {}).get("displayName", "")))
        for x in wanted
    ]


@scope(
    "azure_tenant",
    level="tenant",
    provider="azure",
    description="The Entra ID tenant of [azure] tenant_id",
)
def azure_tenant(azure_clients: AzureClients, run_facts: RunFacts) -> list[AzureTenant]:
    """The tenant (``[azure] tenant_id``), for the Microsoft Graph checks."""
    tenant = azure_clients.settings.tenant_id
    if tenant is None:
        raise AzureError(
            'set [azure] tenant_id = "<GUID>" to judge Entra ID (Microsoft Graph) checks'
        )
    run_facts.record("azure", "tenant", tenant)
    run_facts.record("azure", "graph_endpoint", azure_clients.settings.graph_url)
    return [AzureTenant(tenant_id=tenant)]
