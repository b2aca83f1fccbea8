"""Running per-resource API calls concurrently, within a bound."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def bounded_map(fn: Callable[[T], R], items: Sequence[T], max_workers: int) -> list[R]:
    """``[fn(x) for x in items]``, run on at most ``max_workers`` threads, in order.

    The first exception raised by ``fn`` propagates; per-resource errors that should
    not stop the others are caught inside ``fn`` and recorded on its result.
    """
    if len(items) <= 1 or max_workers <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(
        max_workers=min(max_workers, len(items)), thread_name_prefix="soc2checks-aws"
    ) as pool:
        return list(pool.map(fn, items))
