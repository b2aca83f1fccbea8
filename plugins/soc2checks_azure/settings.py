"""The ``[azure]`` table of ``soc2checks.toml``, validated."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
LOOPBACK = {"localhost", "127.0.0.1", "::1"}

# cloud -> (authority host, ARM endpoint, Graph endpoint)
CLOUDS: dict[str, tuple[str, str, str]] = {
    "public": (
        "login.microsoftonline.com",
        "https://management.azure.com",
        "https://graph.microsoft.com/v1.0",
    ),
    "usgov": (
        "login.microsoftonline.us",
        "https://management.usgovcloudapi.net",
        "https://graph.microsoft.us/v1.0",
    ),
    "china": (
        "login.chinacloudapi.cn",
        "https://management.chinacloudapi.cn",
        "https://microsoftgraph.chinacloudapi.cn/v1.0",
    ),
}


class AzureSettings(BaseModel):
    """Settings of the Azure provider.

    ``subscriptions = "all"`` (default) judges every ``Enabled`` subscription the
    credential sees; a list judges those. ``credential`` picks the azure-identity
    credential; ``"token"`` reads a bearer token from ``SOC2CHECKS_AZURE_TOKEN`` (for
    emulators and the test fake). Plain ``http://`` endpoints are accepted for loopback
    hosts only.
    """

    model_config = ConfigDict(extra="forbid")

    tenant_id: str | None = None
    subscriptions: Literal["all"] | list[str] = "all"
    exclude_subscriptions: list[str] = Field(default_factory=list)
    cloud: Literal["public", "usgov", "china"] = "public"
    endpoint: str | None = None
    graph_endpoint: str | None = None
    credential: Literal[
        "default", "cli", "managed_identity", "workload_identity", "environment", "token"
    ] = "default"
    max_workers: int = Field(default=16, ge=1, le=256)
    max_attempts: int = Field(default=6, ge=1, le=50)

    @field_validator("tenant_id")
    @classmethod
    def _tenant(cls, v: str | None) -> str | None:
        if v is not None and not _GUID.match(v):
            raise ValueError(f"{v!r} is not a tenant ID (a GUID)")
        return v

    @field_validator("subscriptions", "exclude_subscriptions")
    @classmethod
    def _subs(cls, v: str | list[str]) -> str | list[str]:
        if isinstance(v, list):
            for s in v:
                if not _GUID.match(s):
                    raise ValueError(f"{s!r} is not a subscription ID (a GUID)")
        return v

    @model_validator(mode="after")
    def _endpoints(self) -> AzureSettings:
        if isinstance(self.subscriptions, list) and not self.subscriptions:
            raise ValueError('subscriptions is empty: list IDs, or use "all"')
        for key in ("endpoint", "graph_endpoint"):
            url = getattr(self, key)
            if url is None:
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"{key} {url!r} is not an http(s) URL")
            if parts.scheme == "http" and parts.hostname not in LOOPBACK:
                raise ValueError(
                    f"{key} {url!r}: plain http is only allowed for loopback hosts "
                    "(a bearer token must not cross a network unencrypted)"
                )
            setattr(self, key, url.rstrip("/"))
        return self

    @property
    def arm_url(self) -> str:
        return self.endpoint or CLOUDS[self.cloud][1]

    @property
    def graph_url(self) -> str:
        return self.graph_endpoint or CLOUDS[self.cloud][2]
