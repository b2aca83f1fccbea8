"""A fake of Azure Resource Manager and Microsoft Graph for tests, demos and plugin authors.

::

    from soc2checks.testing.azure import FakeAzure, demo_world

    with FakeAzure(demo_world(), delay=0.03) as az:
        # [azure] endpoint = az.base_url, graph_endpoint = az.graph_url,
        # credential = "token" with SOC2CHECKS_AZURE_TOKEN set to az.token
        print(az.requests)  # Counter of requests by route template

Standard library only.
"""

from __future__ import annotations

from soc2checks.testing.azure._server import FakeAzure
from soc2checks.testing.azure._world import DEMO_WORLD, demo_world, load_world, normalize

__all__ = ["DEMO_WORLD", "FakeAzure", "demo_world", "load_world", "normalize"]
