"""urllib3 ``Retry`` for GitHub (imported lazily: urllib3 comes with the github extra)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from soc2checks_github.client import SECONDARY_WAIT, GithubRateLimitError, WaitBudget

if TYPE_CHECKING:
    from urllib3.response import BaseHTTPResponse


class BudgetRetry(Retry):
    """A urllib3 ``Retry`` for GitHub: rate limits wait within a :class:`WaitBudget`.

    403/429 responses with ``Retry-After`` (secondary limits) wait that long; with
    ``X-RateLimit-Remaining: 0`` (primary limit) they wait until ``X-RateLimit-Reset``.
    Any other 403/429 is handed back untouched, so PyGithub raises as usual. 5xx
    responses retry with exponential backoff.
    """

    MAX_SERVER_ERRORS = 3

    def __init__(self, *args: Any, budget: WaitBudget | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget or WaitBudget(0.0)
        self.next_wait: float | None = None

    def new(self, **kw: Any) -> BudgetRetry:
        kw["budget"] = self.budget
        retry = super().new(**kw)
        assert isinstance(retry, BudgetRetry)
        return retry

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code in (403, 429) and self._is_method_retryable(method):
            return True
        return super().is_retry(method, status_code, has_retry_after)

    @staticmethod
    def rate_limit_wait(headers: Any) -> tuple[float, str] | None:
        """Seconds to wait and why, or None if the response is no rate limit."""
        retry_after = headers.get("Retry-After")
        if retry_after and retry_after.strip().isdigit():
            return float(retry_after), "secondary rate limit (Retry-After)"
        if headers.get("X-RateLimit-Remaining") == "0":
            reset = headers.get("X-RateLimit-Reset", "")
            wait = float(reset) - time.time() + 1 if reset.isdigit() else SECONDARY_WAIT
            return max(wait, 0.0), "primary rate limit exhausted (X-RateLimit-Reset)"
        return None

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Retry:
        if response is not None and response.status in (403, 429):
            found = self.rate_limit_wait(response.headers)
            if found is None:
                raise MaxRetryError(_pool, url or "", None)  # not a limit: hand it back
            wait, reason = found
            try:
                self.budget.reserve(wait, f"GitHub {reason} on GET {urlsplit(url or '').path}")
            except GithubRateLimitError:
                response.drain_conn()
                raise
            retry = super().increment(method, url, response, error, _pool, _stacktrace)
            assert isinstance(retry, BudgetRetry)
            retry.next_wait = wait
            return retry
        if response is not None and response.status >= 500:
            earlier = sum(1 for h in self.history if h.status is not None and h.status >= 500)
            if earlier >= self.MAX_SERVER_ERRORS:
                raise MaxRetryError(_pool, url or "", None)  # give up: hand the 5xx back
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        if self.next_wait is not None:
            time.sleep(self.next_wait)
            return
        super().sleep(response)
