"""Boto3 sessions and clients for one run: built lazily, cached, shared by every fetch.

One :class:`AwsClients` exists per run (per :class:`soc2checks.Config`). It builds a
client per (account, region, service) the first time a fetch asks for it, with
botocore's adaptive retry mode and a bounded connection pool. Accounts other than
the caller's are reached through ``sts:AssumeRole``. boto3 is imported here, lazily,
and nowhere at module import time.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

from soc2checks_aws.errors import AwsApiError, call_required
from soc2checks_aws.settings import AwsSettings

T = TypeVar("T")

DEFAULT_REGION = "us-east-1"
_ENABLED_OPT_IN = ("opt-in-not-required", "opted-in")


def strip_account_prefix_handler(endpoint_url: str) -> Callable[..., None]:
    """A botocore ``before-sign`` handler keeping requests on a custom endpoint.

    S3 Control (and a few other APIs) put the account ID in front of the host name:
    ``123456789012.localhost:4566``, which does not resolve. The handler removes a
    numeric label prepended to the endpoint's host, before the request is signed, so
    the signature matches the host actually contacted.
    """
    endpoint_host = urlsplit(endpoint_url).hostname or ""

    def handler(request: Any, **_: Any) -> None:
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        suffix = "." + endpoint_host
        if endpoint_host and host.endswith(suffix) and host[: -len(suffix)].isdigit():
            netloc = parts.netloc.replace(host, endpoint_host, 1)
            request.url = urlunsplit(parts._replace(netloc=netloc))

    return handler


class _Memo:
    """A thread-safe, single-flight cache: each key computed once, failures included."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[object, threading.Lock] = {}
        self._values: dict[object, tuple[bool, Any]] = {}

    def get(self, key: object, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                return cast(T, self._unwrap(self._values[key]))
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._values:
                    return cast(T, self._unwrap(self._values[key]))
            try:
                entry: tuple[bool, Any] = (True, compute())
            except Exception as exc:
                entry = (False, exc)
            with self._lock:
                self._values[key] = entry
            return cast(T, self._unwrap(entry))

    @staticmethod
    def _unwrap(entry: tuple[bool, Any]) -> Any:
        ok, value = entry
        if ok:
            return value
        raise value


class AwsClients:
    """Every boto3 client of one run, by account, region and service."""

    def __init__(
        self,
        settings: AwsSettings | None = None,
        *,
        profile: str | None = None,
        regions: list[str] | None = None,
        facts: Any = None,
    ) -> None:
        self.settings = settings or AwsSettings()
        self.facts = facts
        """The run's ``run_facts`` recorder (or None): each account's identity lands there."""
        self.profile = profile or self.settings.profile
        self.regions_override = regions or self.settings.regions
        self.endpoint_url = self.settings.endpoint_url or os.environ.get("AWS_ENDPOINT_URL")
        self._memo = _Memo()
        self._client_lock = threading.Lock()

    @property
    def resource_id(self) -> str:
        return "aws-clients"

    # -- boto3 plumbing ---------------------------------------------------------

    def _boto3(self) -> Any:
        return importlib.import_module("boto3")

    def _botocore_config(self, service: str) -> Any:
        config_cls = importlib.import_module("botocore.config").Config
        kwargs: dict[str, Any] = {
            "retries": {"mode": "adaptive", "total_max_attempts": self.settings.max_attempts},
            "max_pool_connections": max(10, self.settings.max_workers),
            "connect_timeout": 10,
            "read_timeout": 60,
        }
        if service == "s3" and self.endpoint_url:
            kwargs["s3"] = {"addressing_style": "path"}
        return config_cls(**kwargs)

    def base_session(self) -> Any:
        """The session of the caller's own credentials (standard boto3 chain)."""

        def build() -> Any:
            with self._client_lock:
                try:
                    return self._boto3().session.Session(profile_name=self.profile)
                except Exception as exc:
                    from soc2checks_aws.errors import translate

                    raise translate(exc, "boto3.Session", f"profile {self.profile}") from exc

        return self._memo.get(("session", None), build)

    @property
    def home_region(self) -> str:
        """The region used for global APIs (IAM, STS, Organizations, S3 listing)."""
        if self.regions_override:
            return self.regions_override[0]
        region = self.base_session().region_name
        return str(region) if region else DEFAULT_REGION

    def caller_account(self) -> str:
        """The account ID of the caller's credentials (``sts:GetCallerIdentity``)."""

        def fetch() -> str:
            sts = self._make_client(self.base_session(), "sts", self.home_region)
            ident = call_required(sts.get_caller_identity, "sts:GetCallerIdentity", "caller")
            account = str(ident["Account"])
            self._record_identity(account, ident, "the caller's credentials")
            return account

        return self._memo.get(("caller",), fetch)

    def _record_identity(self, account_id: str, ident: dict[str, Any], via: str) -> None:
        """Put who answered for ``account_id``, and through which endpoint, in run.facts."""
        if self.facts is None:
            return
        self.facts.record(
            "aws",
            f"{account_id}.identity",
            {
                "account": str(ident.get("Account", "")),
                "arn": str(ident.get("Arn", "")),
                "user_id": str(ident.get("UserId", "")),
                "via": via,
                "endpoint": self.endpoint_url or "AWS public endpoints",
                "region": self.home_region,
            },
        )

    def session(self, account_id: str) -> Any:
        """A session for ``account_id``: the caller's, or an assumed role's."""
        if account_id == self.caller_account():
            return self.base_session()
        return self._memo.get(("session", account_id), lambda: self._assume(account_id))

    def _assume(self, account_id: str) -> Any:
        role_arn = f"arn:aws:iam::{account_id}:role/{self.settings.role_name}"
        sts = self._make_client(self.base_session(), "sts", self.home_region)
        kwargs: dict[str, Any] = {
            "RoleArn": role_arn,
            "RoleSessionName": self.settings.role_session_name,
        }
        if self.settings.external_id:
            kwargs["ExternalId"] = self.settings.external_id
        answer = call_required(sts.assume_role, "sts:AssumeRole", role_arn, **kwargs)
        creds = answer["Credentials"]
        with self._client_lock:
            session = self._boto3().session.Session(
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
            )
        # who do these credentials say they are? a redirected endpoint or a wrong role
        # must not have another account's answers judged as this account's
        assumed = self._make_client(session, "sts", self.home_region)
        ident = call_required(
            assumed.get_caller_identity, "sts:GetCallerIdentity", f"account {account_id}"
        )
        via = f"sts:AssumeRole {role_arn}" + (" with external id" if "ExternalId" in kwargs else "")
        self._record_identity(account_id, ident, via)
        if str(ident.get("Account")) != account_id:
            raise AwsApiError(
                f"sts:GetCallerIdentity after assuming {role_arn} through "
                f"{self.endpoint_url or 'AWS public endpoints'} answered account "
                f"{ident.get('Account')!r}, not {account_id}: refusing to judge another "
                "account's resources as this one's"
            )
        return session

    def _make_client(self, session: Any, service: str, region: str) -> Any:
        with self._client_lock:  # creating clients is not thread-safe in botocore
            client = session.client(
                service,
                region_name=region,
                endpoint_url=self.endpoint_url,
                config=self._botocore_config(service),
            )
        if self.endpoint_url:
            client.meta.events.register(
                "before-sign", strip_account_prefix_handler(self.endpoint_url)
            )
        return client

    def client(self, service: str, account_id: str, region: str | None = None) -> Any:
        """The cached boto3 client of ``service`` in ``account_id`` and ``region``."""
        reg = region or self.home_region
        return self._memo.get(
            ("client", account_id, reg, service),
            lambda: self._make_client(self.session(account_id), service, reg),
        )

    # -- scopes -----------------------------------------------------------------

    def account_ids(self) -> list[str]:
        """The accounts to check, per the ``accounts`` setting."""
        accounts = self.settings.accounts
        if accounts is None:
            return [self.caller_account()]
        if isinstance(accounts, list):
            return list(dict.fromkeys(accounts))
        return [a for a, _ in self.organization_accounts()]

    def organization_accounts(self) -> list[tuple[str, str]]:
        """(ID, name) of every active account of the caller's organization."""

        def fetch() -> list[tuple[str, str]]:
            org = self.client("organizations", self.caller_account(), self.home_region)
            found: list[tuple[str, str]] = []
            pages = org.get_paginator("list_accounts").paginate()
            try:
                for page in pages:
                    for acct in page.get("Accounts", []):
                        state = acct.get("State") or acct.get("Status")
                        if state == "ACTIVE":
                            found.append((str(acct["Id"]), str(acct.get("Name", ""))))
            except Exception as exc:
                from soc2checks_aws.errors import translate

                raise translate(exc, "organizations:ListAccounts", "organization") from exc
            return found

        return self._memo.get(("org-accounts",), fetch)

    def enabled_regions(self, account_id: str) -> list[str]:
        """Configured regions, else the regions enabled in ``account_id``."""
        if self.regions_override:
            return list(self.regions_override)

        def fetch() -> list[str]:
            ec2 = self.client("ec2", account_id, self.home_region)
            answer = call_required(
                ec2.describe_regions, "ec2:DescribeRegions", f"account {account_id}"
            )
            regions = sorted(
                r["RegionName"]
                for r in answer.get("Regions", [])
                if r.get("OptInStatus", "opt-in-not-required") in _ENABLED_OPT_IN
            )
            if not regions:
                raise AwsApiError(f"ec2:DescribeRegions returned no region for {account_id}")
            return regions

        return self._memo.get(("regions", account_id), fetch)


def clients_for(config: Any, facts: Any = None) -> AwsClients:
    """A new :class:`AwsClients` for a run with ``config``.

    Call it once per run: the ``aws_clients`` fixture does, and the engine caches
    that fixture for the run, so state never outlives the run that built it.
    ``facts`` (the ``run_facts`` fixture) receives the endpoint and the
    ``sts:GetCallerIdentity`` answer of every account the run reaches.
    """
    settings = config.settings("aws") if config is not None else None
    if not isinstance(settings, AwsSettings):
        settings = AwsSettings.model_validate(config.section("aws") if config else {})
    profile = config.getoption("aws_profile") if config is not None else None
    regions = config.getoption("aws_regions") if config is not None else None
    return AwsClients(settings, profile=profile, regions=regions or None, facts=facts)
