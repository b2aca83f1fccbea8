"""Fixtures for the AWS provider's tests: the session's moto server, reset per test.

``moto_server`` itself lives in the top-level ``tests/conftest.py``.

Every test talks to moto's server over loopback through real boto3 calls. State the
AWS API cannot produce (root MFA, old keys, unused passwords) is set on moto's
backend objects, which live in this process; our code and boto3 are never patched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import soc2checks
from soc2checks import Finding, RunResult, Status
from soc2checks.testing.aws import DEMO_ACCOUNT_ID, MotoServer

ACCOUNT = DEMO_ACCOUNT_ID
REGION = "us-east-1"

_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_CONFIG_FILE": "/nonexistent/soc2checks-tests/config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/soc2checks-tests/credentials",
}


def _toml_value(v: Any) -> str:
    return json.dumps(v)  # strings, numbers, booleans and lists are valid TOML this way


class AwsEnv:
    """One test's view of the moto server: clients, backends and a way to run checks."""

    def __init__(self, server: MotoServer, tmp_path: Path) -> None:
        self.server = server
        self.tmp_path = tmp_path

    @property
    def endpoint_url(self) -> str:
        return self.server.endpoint_url

    def client(self, service: str, region: str = REGION, **kwargs: Any) -> Any:
        import importlib

        boto3: Any = importlib.import_module("boto3")
        return boto3.client(service, region_name=region, endpoint_url=self.endpoint_url, **kwargs)

    def iam_backend(self, account: str = ACCOUNT) -> Any:
        from moto.iam.models import iam_backends

        return iam_backends[account]["global"]

    def age_access_keys(self, user: str, days: int, last_used_days: int | None = None) -> None:
        from moto.iam.models import AccessKeyLastUsed

        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        for key in self.iam_backend().users[user].access_keys:
            key.create_date = now - dt.timedelta(days=days)
            if last_used_days is not None:
                key.last_used = AccessKeyLastUsed(
                    timestamp=now - dt.timedelta(days=last_used_days),
                    service="s3",
                    region=REGION,
                )

    def age_user(self, user: str, days: int, password_last_used_days: int | None = None) -> None:
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        u = self.iam_backend().users[user]
        u.create_date = now - dt.timedelta(days=days)
        if password_last_used_days is not None:
            u.password_last_used = now - dt.timedelta(days=password_last_used_days)

    def config_file(self, settings: dict[str, Any] | None = None, params: Any = None) -> Path:
        aws = {"regions": [REGION], **(settings or {})}
        aws = {k: v for k, v in aws.items() if v is not None}
        lines = ["[aws]"] + [f"{k} = {_toml_value(v)}" for k, v in aws.items()]
        for check_id, values in (params or {}).items():
            lines.append(f'[params."{check_id}"]')
            lines += [f"{k} = {_toml_value(v)}" for k, v in values.items()]
        path = self.tmp_path / "soc2checks.toml"
        path.write_text("\n".join(lines) + "\n")
        return path

    def run(
        self,
        *checks: str,
        settings: dict[str, Any] | None = None,
        params: dict[str, dict[str, Any]] | None = None,
        options: dict[str, Any] | None = None,
    ) -> RunResult:
        return soc2checks.run(
            checks=list(checks) or ["aws.*"],
            providers=["aws"],
            config=self.config_file(settings, params),
            options=options,
        )

    def verdicts(
        self, check: str, key: Callable[[str], str] | None = None, **kwargs: Any
    ) -> dict[str, Finding]:
        """Findings of one check, by the last part of their resource ID (or ``key(id)``)."""
        result = self.run(check, **kwargs)
        out: dict[str, Finding] = {}
        for f in result.findings:
            assert f.check_id == check
            if key is not None:
                name = key(f.resource_id)
            else:
                name = f.resource_id.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            key_ = name
            assert key_ not in out, f"two findings for {key_}"
            out[key_] = f
        return out


def statuses(found: dict[str, Finding]) -> dict[str, str]:
    return {k: f.status.value for k, f in found.items()}


@pytest.fixture
def aws(
    moto_server: MotoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AwsEnv]:
    """Fake credentials and the server's endpoint in the environment, an empty moto."""
    for k, v in _FAKE_ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.endpoint_url)
    moto_server.set_iam_enforcement(False)
    moto_server.set_aws_managed_policies(False)
    moto_server.reset()
    yield AwsEnv(moto_server, tmp_path)
    moto_server.set_iam_enforcement(False)


@pytest.fixture
def managed_policies(aws: AwsEnv) -> AwsEnv:
    """Like ``aws``, with AWS-managed policies such as AdministratorAccess available."""
    aws.server.set_aws_managed_policies(True)
    aws.server.reset()
    return aws


__all__ = ["ACCOUNT", "REGION", "AwsEnv", "Status", "statuses"]
