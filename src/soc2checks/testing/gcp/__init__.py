"""A fake of the Google Cloud REST APIs for tests, demos and plugin authors.

::

    from soc2checks.testing.gcp import FakeGcp, demo_world

    with FakeGcp(demo_world(), delay=0.03) as gcp:
        print(gcp.base_url)   # [gcp] endpoint = "...", anonymous = true
        print(gcp.requests)   # Counter of requests by route template

Standard library only: the fake needs no Google library.
"""

from __future__ import annotations

from soc2checks.testing.gcp._server import FakeGcp, google_error
from soc2checks.testing.gcp._world import DEMO_WORLD, demo_world, load_world, normalize

__all__ = ["DEMO_WORLD", "FakeGcp", "demo_world", "google_error", "load_world", "normalize"]
