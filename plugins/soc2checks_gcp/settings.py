"""The ``[gcp]`` table of ``soc2checks.toml``, validated."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_ORG_ID = re.compile(r"^\d{1,20}$")
_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")


class GcpSettings(BaseModel):
    """Settings of the GCP provider.

    Give ``organization`` (every ACTIVE project under it, folders walked breadth-first,
    or listed through Cloud Asset Inventory with ``use_asset_inventory = true``) or
    ``projects`` (those project IDs). ``endpoint`` points every Google client at one
    base URL (private or restricted Google APIs endpoints, emulators, the fake in
    ``soc2checks.testing.gcp``); ``anonymous = true`` sends no credentials and is only
    allowed together with ``endpoint``.
    """

    model_config = ConfigDict(extra="forbid")

    organization: str | None = None
    use_asset_inventory: bool = False
    projects: list[str] | None = None
    exclude_projects: list[str] = Field(default_factory=list)
    endpoint: str | None = None
    anonymous: bool = False
    credentials_file: str | None = None
    impersonate_service_account: str | None = None
    kms_locations: Literal["all"] | list[str] = "all"
    max_workers: int = Field(default=16, ge=1, le=256)
    max_attempts: int = Field(default=6, ge=1, le=50)  # total attempts per call, first included

    @field_validator("organization")
    @classmethod
    def _org_id(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = v.removeprefix("organizations/")
        if not _ORG_ID.match(v):
            raise ValueError(f"{v!r} is not a numeric organization ID (like 123456789012)")
        return v

    @field_validator("projects", "exclude_projects")
    @classmethod
    def _project_ids(cls, v: list[str] | None) -> list[str] | None:
        for p in v or []:
            if not _PROJECT_ID.match(p):
                raise ValueError(
                    f"{p!r} is not a project ID (6-30 lowercase letters, digits, hyphens)"
                )
        return v

    @model_validator(mode="after")
    def _consistent(self) -> GcpSettings:
        if self.organization is not None and self.projects is not None:
            raise ValueError(
                'give one of organization = "123456789012" or projects = ["my-project"], not both'
            )
        if self.use_asset_inventory and self.organization is None:
            raise ValueError(
                "use_asset_inventory = true needs organization: it lists the organization's "
                "projects through Cloud Asset Inventory"
            )
        if self.projects is not None and not self.projects:
            raise ValueError("projects is empty: list at least one project ID")
        if self.anonymous and not self.endpoint:
            raise ValueError("anonymous = true is only allowed together with endpoint")
        if self.anonymous and (self.credentials_file or self.impersonate_service_account):
            raise ValueError("anonymous = true cannot be combined with other credentials")
        if self.endpoint:
            parts = urlsplit(self.endpoint)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"endpoint {self.endpoint!r} is not an http(s) URL")
            self.endpoint = self.endpoint.rstrip("/")
        return self
