"""Helpers for provider authors: what every provider's fetch code needs.

Public, small and dependency-free; first-party providers use exactly these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["bounded_map"]


def bounded_map(
    fn: Callable[[T], R], items: Sequence[T], max_workers: int, *, name: str = "soc2checks"
) -> list[R]:
    """``[fn(x) for x in items]``, run on at most ``max_workers`` threads, in order.

    The first exception raised by ``fn`` propagates; per-resource errors that should
    not stop the others are caught inside ``fn`` and recorded on its result.
    """
    if len(items) <= 1 or max_workers <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(
        max_workers=min(max_workers, len(items)), thread_name_prefix=name
    ) as pool:
        return list(pool.map(fn, items))
