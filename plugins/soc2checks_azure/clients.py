"""The run's Azure credential and clients, built lazily and shared by a run's fixtures.

ARM: the ``azure-mgmt-*`` clients, pointed at ``[azure] endpoint`` (or the cloud's
Resource Manager) with ``base_url``. Graph: ``msgraph-sdk`` with its request adapter's
base URL set to ``graph_endpoint``. Retries on 429 (``Retry-After``) and 5xx are the
SDKs' own (azure-core's ``RetryPolicy``, kiota's retry handler), bounded by
``max_attempts``. Against a plain-http loopback endpoint (emulators, the test fake)
the bearer token is added by a small client policy of ours, because azure-core's
policy refuses to send a token over http; nothing in the SDKs is patched.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from soc2checks import MissingDependencyError
from soc2checks_azure.errors import AzureError, call
from soc2checks_azure.settings import CLOUDS, AzureSettings

if TYPE_CHECKING:
    from soc2checks import Config

T = TypeVar("T")
TOKEN_ENV = "SOC2CHECKS_AZURE_TOKEN"


class _StaticToken:
    """A TokenCredential that hands out the token of ``SOC2CHECKS_AZURE_TOKEN``."""

    def __init__(self, token: str) -> None:
        self._token = token

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(self._token, 2**31 - 1)

    def close(self) -> None:
        return None


def _is_http(url: str) -> bool:
    return urlsplit(url).scheme == "http"


class AzureClients:
    """Credential and clients of one run; each client is built once, on first use."""

    def __init__(self, settings: AzureSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._memo: dict[str, Any] = {}
        self._memo_locks: dict[str, threading.Lock] = {}

    def once(self, key: str, fetch: Callable[[], T]) -> T:
        """``fetch()`` once per run for ``key`` (single flight; errors are not cached)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]  # type: ignore[no-any-return]
            lock = self._memo_locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._memo:
                    return self._memo[key]  # type: ignore[no-any-return]
            value = fetch()
            with self._lock:
                self._memo[key] = value
            return value

    # ------------------------------------------------------------- credential
    def credential(self) -> Any:
        return self.once("credential", self._make_credential)

    def _make_credential(self) -> Any:
        s = self.settings
        if s.credential == "token":
            token = os.environ.get(TOKEN_ENV)
            if not token:
                raise AzureError(
                    f'[azure] credential = "token" reads a bearer token from {TOKEN_ENV}, '
                    "which is not set"
                )
            return _StaticToken(token)
        try:
            import azure.identity as identity
        except ImportError as exc:  # pragma: no cover - exercised without the extra
            raise MissingDependencyError(
                "the azure provider needs azure-identity: pip install 'soc2checks[azure]'"
            ) from exc
        authority = CLOUDS[s.cloud][0]
        kw: dict[str, Any] = {"authority": authority}
        if s.credential == "cli":
            if s.tenant_id:
                return identity.AzureCliCredential(tenant_id=s.tenant_id)
            return identity.AzureCliCredential()
        if s.credential == "managed_identity":
            return identity.ManagedIdentityCredential()
        if s.credential == "workload_identity":
            return identity.WorkloadIdentityCredential(tenant_id=s.tenant_id, **kw)
        if s.credential == "environment":
            return identity.EnvironmentCredential(**kw)
        return identity.DefaultAzureCredential(
            authority=authority, **({"tenant_id": s.tenant_id} if s.tenant_id else {})
        )

    # -------------------------------------------------------------------- ARM
    def arm(self, module: str, cls_name: str, subscription_id: str | None = None) -> Any:
        """An ``azure.mgmt.<module>.<cls_name>`` client (per subscription when given)."""

        def make() -> Any:
            try:
                mod = __import__(f"azure.mgmt.{module}", fromlist=[cls_name])
            except ImportError as exc:
                raise MissingDependencyError(
                    f"the azure provider needs azure-mgmt-{module}: pip install 'soc2checks[azure]'"
                ) from exc
            cls = getattr(mod, cls_name)
            s = self.settings
            scope = f"{CLOUDS[s.cloud][1]}/.default"
            kw: dict[str, Any] = {
                "base_url": s.arm_url,
                "credential_scopes": [scope],
                "retry_total": s.max_attempts - 1,
                "retry_backoff_factor": 0.5,
            }
            if _is_http(s.arm_url):
                kw["authentication_policy"] = _loopback_bearer_policy(self.credential(), scope)
            args = (
                (self.credential(),)
                if subscription_id is None
                else (
                    self.credential(),
                    subscription_id,
                )
            )
            return cls(*args, **kw)

        return self.once(f"arm:{module}:{cls_name}:{subscription_id}", make)

    # ------------------------------------------------------------------ Graph
    def graph(self) -> tuple[Any, Any]:
        """A new Graph client and its httpx client (one event loop each: one per call)."""
        try:
            import httpx
            from msgraph.graph_request_adapter import GraphRequestAdapter
            from msgraph.graph_service_client import GraphServiceClient
            from msgraph_core import GraphClientFactory
        except ImportError as exc:
            raise MissingDependencyError(
                "the azure provider needs msgraph-sdk: pip install 'soc2checks[azure]'"
            ) from exc
        url = self.settings.graph_url
        parts = urlsplit(url)
        scope = (
            f"{parts.scheme}://{parts.netloc}/.default"
            if not _is_http(url)
            else "https://graph.microsoft.com/.default"
        )
        http = GraphClientFactory.create_with_default_middleware(
            client=httpx.AsyncClient(timeout=httpx.Timeout(60.0))
        )
        adapter = GraphRequestAdapter(_graph_auth(self.credential(), scope, url), client=http)
        adapter.base_url = url
        return GraphServiceClient(request_adapter=adapter), http

    def run_graph(self, make: Callable[[Any], Awaitable[T]], needs: str, where: str) -> T:
        """Await one Graph request (the SDK is async) from a fixture's worker thread."""

        async def go() -> T:
            client, http = self.graph()
            try:
                return await make(client)
            finally:
                await http.aclose()

        return call(lambda: asyncio.run(go()), needs, where)


def _loopback_bearer_policy(credential: Any, scope: str) -> Any:
    from azure.core.pipeline.policies import SansIOHTTPPolicy

    class LoopbackBearerPolicy(SansIOHTTPPolicy):  # type: ignore[type-arg]
        """Adds the bearer token to requests for a loopback host (plain http allowed)."""

        def on_request(self, request: Any) -> None:
            host = urlsplit(request.http_request.url).hostname
            if host not in ("localhost", "127.0.0.1", "::1"):
                raise AzureError(f"refusing to send a bearer token over http to {host}")
            token = credential.get_token(scope).token
            request.http_request.headers["Authorization"] = f"Bearer {token}"

    return LoopbackBearerPolicy()


def _graph_auth(credential: Any, scope: str, url: str) -> Any:
    if isinstance(credential, _StaticToken) or _is_http(url):
        from kiota_abstractions.authentication import (
            AccessTokenProvider,
            AllowedHostsValidator,
            BaseBearerTokenAuthenticationProvider,
        )

        host = urlsplit(url).hostname or ""

        class TokenProvider(AccessTokenProvider):
            async def get_authorization_token(
                self, uri: str, additional_authentication_context: Any = None
            ) -> str:
                target = urlsplit(uri)
                if target.scheme == "http" and target.hostname not in ("localhost", "127.0.0.1"):
                    raise AzureError(
                        f"refusing to send a bearer token over http to {target.hostname}"
                    )
                return str(credential.get_token(scope).token)

            def get_allowed_hosts_validator(self) -> Any:
                return AllowedHostsValidator([host])

        return BaseBearerTokenAuthenticationProvider(TokenProvider())
    from kiota_authentication_azure.azure_identity_authentication_provider import (
        AzureIdentityAuthenticationProvider,
    )

    return AzureIdentityAuthenticationProvider(credential, scopes=[scope])


def clients_for(config: Config) -> AzureClients:
    """The clients of one run, from the validated ``[azure]`` table."""
    settings = config.settings("azure")
    if not isinstance(settings, AzureSettings):
        settings = AzureSettings.model_validate(config.section("azure"))
    return AzureClients(settings)


def rest(obj: Any) -> dict[str, Any]:
    """An SDK model as the REST JSON it came from (camelCase keys, nested properties).

    Judging the documented REST fields keeps the models independent of how each
    azure-mgmt package's generator names and flattens attributes.
    """
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    serialize = getattr(obj, "serialize", None)
    if callable(serialize) and hasattr(obj, "_attribute_map"):  # msrest-style models
        out = serialize(keep_readonly=True)
        return out if isinstance(out, dict) else {}
    as_dict = getattr(obj, "as_dict", None)
    if callable(as_dict):  # typespec-style models: a mapping over the REST JSON
        out = as_dict()
        return out if isinstance(out, dict) else {}
    raise TypeError(f"cannot read {type(obj).__name__} as REST JSON")
