"""The ``[aws]`` table of ``soc2checks.toml``, validated."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ACCOUNT_ID = re.compile(r"^\d{12}$")


class AwsSettings(BaseModel):
    """Settings of the AWS provider.

    ``accounts``: omitted = the caller's account; ``"organization"`` = every active
    account of the caller's AWS Organization; a list of 12-digit account IDs = those.
    Accounts other than the caller's are reached through ``sts:AssumeRole`` into
    ``role_name`` (with ``external_id`` when set).
    """

    model_config = ConfigDict(extra="forbid")

    regions: list[str] | None = None
    accounts: Literal["organization"] | list[str] | None = None
    role_name: str = "OrganizationAccountAccessRole"
    external_id: str | None = None
    role_session_name: str = "soc2checks"
    endpoint_url: str | None = None
    profile: str | None = None
    max_workers: int = Field(default=16, ge=1, le=256)
    max_attempts: int = Field(default=10, ge=1, le=50)  # total attempts per call, first included
    list_buckets_page_size: int = Field(default=10000, ge=1, le=10000)  # ListBuckets MaxBuckets

    @field_validator("accounts")
    @classmethod
    def _valid_ids(cls, v: str | list[str] | None) -> str | list[str] | None:
        if isinstance(v, list):
            for a in v:
                if not _ACCOUNT_ID.match(a):
                    raise ValueError(f"{a!r} is not a 12-digit AWS account ID")
        return v

    @field_validator("regions")
    @classmethod
    def _regions_not_empty(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and not v:
            raise ValueError("give at least one region, or omit the key for all enabled regions")
        return v
