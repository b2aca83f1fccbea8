"""Fixtures every test folder may use: the fake vendor servers, started over loopback.

- ``moto_server``: one moto server for the whole session (per xdist worker); tests
  reset it through the ``aws`` fixture of ``tests/aws/conftest.py``, which also puts
  fake credentials and the endpoint into the environment.
- ``fake_github``: starts a :class:`~soc2checks.testing.github.FakeGitHub` for a world
  (a dict, such as ``demo_world()``) and stops every one it started after the test.

The official SDKs reach these servers over HTTP; nothing in boto3, PyGithub or our own
code is patched. Folder-specific helpers stay in each folder's ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from soc2checks.testing.aws import MotoServer
from soc2checks.testing.github import FakeGitHub


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """A moto server for the session, AWS-managed policies off (see ``managed_policies``)."""
    # Loading AWS-managed policies makes every reset ~1.3 s slower: only the tests that
    # attach one (the ``managed_policies`` fixture) turn it on.
    server = MotoServer(load_aws_managed_policies=False).start()
    try:
        yield server
    finally:
        server.reset()  # leave moto's per-process state empty for whoever comes next
        server.set_aws_managed_policies(False)
        server.stop()


@pytest.fixture
def fake_github() -> Iterator[Callable[..., FakeGitHub]]:
    """``start(world, **options)`` -> a running FakeGitHub, stopped after the test."""
    started: list[FakeGitHub] = []

    def start(world: dict[str, Any], **kw: Any) -> FakeGitHub:
        gh = FakeGitHub(world, **kw).start()
        started.append(gh)
        return gh

    yield start
    for gh in started:
        gh.stop()
