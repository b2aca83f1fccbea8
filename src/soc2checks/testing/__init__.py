"""Test helpers for soc2checks and its plugin authors (fakes of provider APIs).

``LoopbackServer``, ``Request`` and ``Response`` are the base of the HTTP fakes
(``soc2checks.testing.gcp``); submodules hold each provider's fake.
"""

from __future__ import annotations

from soc2checks.testing._loopback import LoopbackServer, Request, Response

__all__ = ["LoopbackServer", "Request", "Response"]
