"""The GitHub client of one run: PyGithub, tuned for scanning whole organizations.

Exceptions (their messages become ``error`` findings)::

    GithubProviderError           base class
    ├── GithubAccessError         (also a PermissionError) 401/403/404/422 meaning the
    │                             token, its scopes, its role or the plan cannot see this
    ├── GithubRateLimitError      waiting for a rate limit would exceed max_wait_seconds
    └── GithubServerError         GitHub kept answering 5xx after the retries

PyGithub's defaults are changed: no sleep between requests or writes; a urllib3
``Retry`` that honours ``Retry-After`` and ``X-RateLimit-Reset`` within a shared wait
budget; one PyGithub client per worker thread (a PyGithub ``Requester`` shares one
connection object, which is not safe across threads); a semaphore bounding the
requests in flight per token.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from soc2checks_github.settings import GithubSettings

if TYPE_CHECKING:
    from soc2checks import Config
    from soc2checks_github._retry import BudgetRetry

T = TypeVar("T")
R = TypeVar("R")

PLAN_HINTS = ("upgrade to github pro", "upgrade to github team", "your plan", "not available for")
SECONDARY_WAIT = 60.0


class GithubProviderError(RuntimeError):
    """Base class of the github provider's errors."""


class GithubAccessError(GithubProviderError, PermissionError):
    """GitHub refused or hid something; the message names the scope, role or plan needed."""


class GithubRateLimitError(GithubProviderError):
    """Waiting for a rate limit to reset would exceed the configured budget."""


class GithubServerError(GithubProviderError):
    """GitHub answered a server error (5xx) on every retry: nothing was judged."""


class WaitBudget:
    """The total time a run may spend waiting for rate limits, shared by all threads.

    Concurrent waits count once: the budget spent is the union of the wait intervals.
    """

    def __init__(self, max_wait: float) -> None:
        self.max_wait = max_wait
        self.spent = 0.0
        self._until = 0.0
        self._lock = threading.Lock()

    def reserve(self, seconds: float, reason: str) -> None:
        now = time.monotonic()
        end = now + seconds
        with self._lock:
            new = max(0.0, end - max(now, self._until))
            if self.spent + new > self.max_wait:
                raise GithubRateLimitError(
                    f"{reason}: waiting {seconds:.0f}s would exceed the rate-limit budget "
                    f"max_wait_seconds={self.max_wait:g} ({self.spent:.0f}s already spent "
                    "waiting); raise [github] max_wait_seconds or scan fewer repositories"
                )
            self.spent += new
            self._until = max(self._until, end)


def _next_link(link: str | None) -> str | None:
    if not link:
        return None
    for part in link.split(","):
        pieces = part.split(";")
        if len(pieces) >= 2 and 'rel="next"' in pieces[1]:
            return pieces[0].strip().lstrip("<").rstrip(">")
    return None


class GithubClient:
    """Authenticated, rate-limit-aware access to one GitHub API for one run."""

    def __init__(self, settings: GithubSettings, token: str | None = None) -> None:
        self.settings = settings
        self._token = token
        self.budget = WaitBudget(settings.max_wait_seconds)
        self._local = threading.local()
        self._in_flight = threading.BoundedSemaphore(settings.max_workers)
        self._lock = threading.Lock()
        self._cache: dict[str, Future[Any]] = {}
        self._app_token: str | None = None
        self._pool: ThreadPoolExecutor | None = None

    # ------------------------------------------------------------- connection
    def _auth(self) -> Any:
        from github import Auth

        s = self.settings
        if s.app_id is not None:
            with self._lock:
                if self._app_token is None:
                    self._app_token = self._installation_token()
            return Auth.Token(self._app_token)
        if not self._token:
            raise GithubAccessError(
                "no GitHub token: set GITHUB_TOKEN, [github] token, or GitHub App settings "
                "(app_id, installation_id, private_key_path)"
            )
        return Auth.Token(self._token)

    def _installation_token(self) -> str:
        from github import Auth, GithubIntegration

        s = self.settings
        assert s.private_key_path is not None and s.installation_id is not None
        key = Path(s.private_key_path).read_text(encoding="utf-8")
        app_auth = Auth.AppAuth(str(s.app_id), key)
        integration = GithubIntegration(
            auth=app_auth,
            base_url=s.base_url,
            retry=self._retry(),
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        try:
            token = integration.get_access_token(s.installation_id).token
        except Exception as exc:
            raise GithubAccessError(
                f"GitHub App {s.app_id}: could not get a token for installation "
                f"{s.installation_id}: {exc}"
            ) from exc
        return str(token)

    def _retry(self) -> BudgetRetry:
        from soc2checks_github._retry import BudgetRetry

        return BudgetRetry(
            total=8,
            backoff_factor=0.5,
            status_forcelist=[500, 502, 503, 504],
            allowed_methods=frozenset({"GET", "HEAD"}),
            raise_on_status=False,
            respect_retry_after_header=True,
            budget=self.budget,
        )

    def github(self) -> Any:
        """This thread's PyGithub client (PyGithub's Requester is not thread-safe)."""
        gh = getattr(self._local, "gh", None)
        if gh is None:
            from github import Github

            gh = Github(
                base_url=self.settings.base_url,
                auth=self._auth(),
                per_page=100,
                timeout=self.settings.timeout_seconds,
                retry=self._retry(),
                pool_size=2,
                seconds_between_requests=None,
                seconds_between_writes=None,
            )
            self._local.gh = gh
        return gh

    # ---------------------------------------------------------------- requests
    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        needs: str,
        allow: Iterable[int] = (),
    ) -> tuple[int, dict[str, Any], Any]:
        """``GET path``: ``(status, headers, data)``; statuses in ``allow`` are returned,
        other errors raise :class:`GithubProviderError` subclasses naming ``needs``."""
        from github import GithubException

        requester = self.github().requester
        allowed = set(allow)
        for attempt in range(3):
            try:
                with self._in_flight:
                    headers, data = requester.requestJsonAndCheck("GET", path, parameters=params)
                return 200, headers, data
            except GithubException as exc:
                status = exc.status
                if status in allowed:
                    return status, dict(exc.headers or {}), exc.data
                message = _message(exc.data)
                if status in (403, 429) and _is_secondary(message) and attempt < 2:
                    self.budget.reserve(SECONDARY_WAIT, f"GitHub secondary rate limit on {path}")
                    time.sleep(SECONDARY_WAIT)
                    continue
                raise _translate(status, message, dict(exc.headers or {}), path, needs) from None
        raise GithubRateLimitError(f"GitHub secondary rate limit on GET {path} persisted")

    def paginate(self, path: str, params: dict[str, Any] | None = None, *, needs: str) -> list[Any]:
        """Every item of a paginated list, following ``Link: rel="next"``."""
        items: list[Any] = []
        url: str | None = path
        query: dict[str, Any] | None = {**(params or {}), "per_page": 100}
        while url:
            _status, headers, data = self.get(url, query, needs=needs)
            if not isinstance(data, list):
                raise GithubProviderError(f"GET {path}: expected a list, got {type(data).__name__}")
            items.extend(data)
            url = _next_link(headers.get("link"))
            query = None
        return items

    def once(self, key: str, fetch: Callable[[], T]) -> T:
        """``fetch()`` once per run for ``key``, even when many threads ask at once."""
        with self._lock:
            fut = self._cache.get(key)
            owner = fut is None
            if fut is None:
                fut = Future()
                self._cache[key] = fut
        if owner:
            try:
                fut.set_result(fetch())
            except BaseException as exc:
                fut.set_exception(exc)
        result: T = fut.result()
        return result

    def map(self, func: Callable[[T], R], items: list[T]) -> list[R]:
        """``func`` over ``items`` on at most ``max_workers`` threads, in order."""
        if len(items) <= 1:
            return [func(i) for i in items]
        with self._lock:
            if self._pool is None:
                # one pool per run: its threads keep their PyGithub clients and connections
                self._pool = ThreadPoolExecutor(
                    max_workers=self.settings.max_workers, thread_name_prefix="github"
                )
                weakref.finalize(self, self._pool.shutdown, wait=False)
            pool = self._pool
        return list(pool.map(func, items))


def _message(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message") or "")
    return str(data or "")


def _is_secondary(message: str) -> bool:
    m = message.lower()
    return "secondary rate limit" in m or m.endswith(
        "please wait a few minutes before you try again."
    )


def _translate(
    status: int, message: str, headers: dict[str, Any], path: str, needs: str
) -> GithubProviderError:
    h = {k.lower(): v for k, v in headers.items()}
    where = f"GET {path}"
    lower = message.lower()
    if status in (403, 429) and ("rate limit" in lower):
        return GithubRateLimitError(f"GitHub rate limit on {where}: {message}")
    if status >= 500:
        from soc2checks_github._retry import BudgetRetry

        return GithubServerError(
            f"GitHub server error {status} on {where}: {message or 'no message'}; still "
            f"failing after {BudgetRetry.MAX_SERVER_ERRORS} retries with backoff, so nothing "
            "was judged: try again later, or check https://www.githubstatus.com "
            "(could not verify)"
        )
    if status == 401:
        return GithubAccessError(f"401 on {where}: {message or 'Bad credentials'}: check the token")
    if status == 403 and any(hint in lower for hint in PLAN_HINTS):
        return GithubAccessError(
            f"403 on {where}: {message!r}: the organization's GitHub plan does not offer this "
            "for private repositories; it needs GitHub Team or Enterprise (could not verify)"
        )
    scopes = h.get("x-oauth-scopes")
    accepted = h.get("x-accepted-oauth-scopes")
    perms = h.get("x-accepted-github-permissions")
    detail = []
    if scopes is not None:
        detail.append(f"token scopes: {scopes or 'none'}")
    if accepted:
        detail.append(f"endpoint accepts: {accepted}")
    if perms:
        detail.append(f"endpoint needs: {perms}")
    extra = f" ({'; '.join(detail)})" if detail else ""
    what = {404: "not found or not visible to this token", 422: "refused"}.get(status, "forbidden")
    return GithubAccessError(
        f"{status} on {where}: {message or what}{extra}; needs {needs} (could not verify)"
    )


def settings_of(config: Config | None) -> GithubSettings:
    """The validated ``[github]`` settings of ``config`` (defaults if absent)."""
    if config is None:
        return GithubSettings()
    value = config.settings("github")
    if isinstance(value, GithubSettings):
        return value
    if value is None:
        return GithubSettings.model_validate(config.section("github"))
    return GithubSettings.model_validate(
        value.model_dump() if hasattr(value, "model_dump") else value
    )


def client_for(config: Config) -> GithubClient:
    """A new client for a run with ``config``: the ``github_client`` fixture calls it
    once per run, and the engine caches that fixture for the run."""
    import os

    settings = settings_of(config)
    return GithubClient(settings, settings.token or os.environ.get("GITHUB_TOKEN"))
