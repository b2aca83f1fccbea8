"""Running per-resource API calls concurrently, within a bound (shared with every provider)."""

from __future__ import annotations

from soc2checks.fetching import bounded_map

__all__ = ["bounded_map"]
