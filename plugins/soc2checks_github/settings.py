"""The ``[github]`` table of ``soc2checks.toml``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

PUBLIC_API = "https://api.github.com"


class GithubSettings(BaseModel):
    """Settings of the github provider.

    ``token`` defaults to the ``GITHUB_TOKEN`` environment variable. GitHub App
    authentication takes ``app_id``, ``installation_id`` and ``private_key_path``
    (all three). ``base_url`` points at GitHub Enterprise Server
    (``https://ghe.example.com/api/v3``). ``change_period_days`` (90) is the period of
    the change-management population.
    """

    model_config = ConfigDict(extra="forbid")

    orgs: list[str] = Field(default_factory=list)
    base_url: str = PUBLIC_API
    token: str | None = None
    app_id: int | str | None = None
    installation_id: int | None = None
    private_key_path: str | None = None
    include_repos: list[str] = Field(default_factory=lambda: ["*"])
    exclude_repos: list[str] = Field(default_factory=list)
    max_wait_seconds: float = Field(default=300.0, ge=0)
    max_workers: int = Field(default=16, ge=1, le=64)
    timeout_seconds: int = Field(default=30, ge=1)
    change_period_days: int = Field(default=90, ge=1, le=3650)
    """The change-management population covers the changes that reached each default
    branch in the last ``change_period_days`` days."""

    @model_validator(mode="after")
    def _app_complete(self) -> GithubSettings:
        app = (self.app_id, self.installation_id, self.private_key_path)
        if any(v is not None for v in app) and not all(v is not None for v in app):
            raise ValueError(
                "GitHub App authentication needs app_id, installation_id and private_key_path"
            )
        self.base_url = self.base_url.rstrip("/")
        return self
