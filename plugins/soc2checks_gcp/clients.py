"""The run's Google clients, built lazily and shared by every fixture of one run.

Every client uses the REST transport (no gRPC), so ``[gcp] endpoint`` reaches all of
them through ``client_options.api_endpoint``. Libraries: google-cloud-resource-manager
(v3), google-cloud-storage, google-cloud-compute, google-cloud-kms, and the
discovery-based google-api-python-client for IAM admin, Cloud SQL Admin and Cloud
Logging sinks, whose google-cloud-* clients are gRPC only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from soc2checks import MissingDependencyError
from soc2checks_gcp.errors import GcpError, call
from soc2checks_gcp.settings import GcpSettings

if TYPE_CHECKING:
    from soc2checks import Config

T = TypeVar("T")
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]


class GcpClients:
    """Credentials and clients of one run; every client is built once, on first use."""

    def __init__(self, settings: GcpSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._credentials: Any = None
        self._memo: dict[str, Any] = {}
        self._memo_locks: dict[str, threading.Lock] = {}

    # ------------------------------------------------------------- credentials
    def credentials(self) -> Any:
        with self._lock:
            if self._credentials is None:
                self._credentials = self._make_credentials()
            return self._credentials

    def _make_credentials(self) -> Any:
        s = self.settings
        try:
            import google.auth
            from google.auth.credentials import AnonymousCredentials
        except ImportError as exc:  # pragma: no cover - exercised without the extra
            raise MissingDependencyError(
                "the gcp provider needs google-auth: pip install 'soc2checks[gcp]'"
            ) from exc
        if s.anonymous:
            return AnonymousCredentials()  # type: ignore[no-untyped-call]
        try:
            if s.credentials_file:
                from google.oauth2 import service_account

                base = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                    s.credentials_file, scopes=SCOPES
                )
            else:
                base, _project = google.auth.default(scopes=SCOPES)
        except (google.auth.exceptions.DefaultCredentialsError, OSError, ValueError) as exc:
            raise GcpError(
                "no Google credentials found: run `gcloud auth application-default login`, set "
                "GOOGLE_APPLICATION_CREDENTIALS, or set [gcp] credentials_file "
                f"({' '.join(str(exc).split())[:200]})"
            ) from exc
        if s.impersonate_service_account:
            from google.auth import impersonated_credentials

            return impersonated_credentials.Credentials(  # type: ignore[no-untyped-call]
                source_credentials=base,
                target_principal=s.impersonate_service_account,
                target_scopes=SCOPES,
            )
        return base

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

    # ----------------------------------------------------------------- clients
    def _client(self, name: str, make: Callable[[Any], Any]) -> Any:
        creds = self.credentials()
        return self.once(f"client:{name}", lambda: make_with(make, creds))

    def _options(self) -> dict[str, str]:
        return {"api_endpoint": self.settings.endpoint} if self.settings.endpoint else {}

    def resource_manager(self, kind: str) -> Any:
        """``FoldersClient`` or ``ProjectsClient`` of Resource Manager v3 (REST)."""

        def make(creds: Any) -> Any:
            from google.cloud import resourcemanager_v3

            cls = getattr(resourcemanager_v3, f"{kind}Client")
            return cls(credentials=creds, transport="rest", client_options=self._options())

        return self._client(f"crm.{kind}", make)

    def storage(self) -> Any:
        def make(creds: Any) -> Any:
            from google.cloud import storage  # type: ignore[attr-defined]

            return storage.Client(
                project="-", credentials=creds, client_options=self._options() or None
            )

        return self._client("storage", make)

    def compute(self, kind: str) -> Any:
        def make(creds: Any) -> Any:
            from google.cloud import compute_v1

            cls = getattr(compute_v1, f"{kind}Client")
            return cls(credentials=creds, client_options=self._options() or None)

        return self._client(f"compute.{kind}", make)

    def kms(self) -> Any:
        def make(creds: Any) -> Any:
            from google.cloud import kms_v1

            return kms_v1.KeyManagementServiceClient(
                credentials=creds, transport="rest", client_options=self._options() or None
            )

        return self._client("kms", make)

    def discovery(self, api: str, version: str) -> Any:
        """A google-api-python-client service from the discovery document it ships."""

        def make(creds: Any) -> Any:
            from googleapiclient.discovery import build

            return build(
                api,
                version,
                credentials=creds,
                client_options=self._options() or None,
                static_discovery=True,
                cache_discovery=False,
            )

        return self._client(f"discovery.{api}.{version}", make)

    def execute(self, request: Any, permission: str, resource: str) -> Any:
        """Execute a discovery request (thread-safe: a fresh HTTP object per call)."""
        import google_auth_httplib2
        import httplib2

        def run() -> Any:
            http = google_auth_httplib2.AuthorizedHttp(self.credentials(), http=httplib2.Http())
            return request.execute(http=http, num_retries=0)

        return self.call(run, permission, resource)

    def call(self, fn: Callable[[], T], permission: str, resource: str) -> T:
        """``fn()`` with retries on 429/5xx; errors name ``permission`` and ``resource``."""
        return call(fn, permission, resource, attempts=self.settings.max_attempts)


def first_page(method: Callable[..., Any], request: dict[str, Any]) -> Any:
    """The first page response of a GAPIC list ``method`` (one request, no retries)."""
    return next(iter(method(request=request, retry=None).pages))


def make_with(make: Callable[[Any], Any], creds: Any) -> Any:
    try:
        return make(creds)
    except ImportError as exc:
        raise MissingDependencyError(
            f"the gcp provider needs {exc.name or 'the Google client libraries'}: "
            "pip install 'soc2checks[gcp]'"
        ) from exc


def clients_for(config: Config) -> GcpClients:
    """The clients of one run, from the validated ``[gcp]`` table."""
    settings = config.settings("gcp")
    if not isinstance(settings, GcpSettings):
        settings = GcpSettings.model_validate(config.section("gcp"))
    return GcpClients(settings)
