"""A fake GitHub REST API for tests, demos and plugin authors.

::

    from soc2checks.testing.github import FakeGitHub, demo_world

    with FakeGitHub(demo_world(), delay=0.05) as gh:
        print(gh.base_url)           # http://127.0.0.1:PORT, hand it to PyGithub
        ...
        print(gh.requests)           # Counter of requests by route template

It is standard library only: no extra dependency is needed to run it.
"""

from __future__ import annotations

from soc2checks.testing.github._server import FakeGitHub
from soc2checks.testing.github._world import DEMO_WORLD, demo_world, load_world

__all__ = ["DEMO_WORLD", "FakeGitHub", "demo_world", "load_world"]
