"""Turning Google client errors into exceptions whose message says what to do.

GcpError                 base class
├── GcpAccessDenied      403 PERMISSION_DENIED: names the IAM permission (also a PermissionError)
├── GcpServiceDisabled   403 SERVICE_DISABLED: names the API to enable
└── GcpApiError          any other error answer, after retries
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

RETRIED = frozenset({429, 500, 502, 503, 504})


class GcpError(Exception):
    """A Google API call failed; the message names the permission and the resource."""


class GcpAccessDenied(GcpError, PermissionError):
    """The credentials in use lack the named IAM permission."""


class GcpServiceDisabled(GcpError):
    """The API a fixture needs is not enabled in the project."""

    def __init__(self, message: str, service: str) -> None:
        super().__init__(message)
        self.service = service


class GcpApiError(GcpError, RuntimeError):
    """A Google API answered with an error other than a denial."""


def _status_and_body(exc: BaseException) -> tuple[int | None, dict[str, Any]]:
    """``(HTTP status, the "error" object)`` of a google-api-core or discovery error."""
    resp = getattr(exc, "resp", None)  # googleapiclient.errors.HttpError
    if resp is not None and hasattr(exc, "content"):
        try:
            body = json.loads(exc.content)
        except (TypeError, ValueError):
            body = {}
        err = body.get("error") if isinstance(body, dict) else None
        return int(resp.status), err if isinstance(err, dict) else {}
    code = getattr(exc, "code", None)  # google.api_core.exceptions.GoogleAPICallError
    if isinstance(code, int) and hasattr(exc, "errors"):
        details = getattr(exc, "details", None) or []
        return code, {"message": getattr(exc, "message", str(exc)), "details": list(details)}
    return None, {}


def _error_info(err: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    for d in err.get("details") or []:
        if isinstance(d, dict) and str(d.get("@type", "")).endswith("google.rpc.ErrorInfo"):
            return d.get("reason"), dict(d.get("metadata") or {})
    return None, {}


def status_of(exc: BaseException) -> int | None:
    """The HTTP status of a Google client error, else None."""
    return _status_and_body(exc)[0]


def translate(exc: BaseException, permission: str, resource: str) -> BaseException:
    """The exception to raise for ``exc``, raised while using ``permission`` on ``resource``."""
    if isinstance(exc, GcpError):
        return exc
    status, err = _status_and_body(exc)
    if status is None:
        module = type(exc).__module__.split(".")[0]
        if module in ("google", "googleapiclient", "requests", "urllib3", "httplib2"):
            detail = " ".join(str(exc).split())[:300]
            return GcpApiError(f"{permission} on {resource} failed: {type(exc).__name__}: {detail}")
        return exc
    reason, meta = _error_info(err)
    message = " ".join(str(err.get("message") or exc).split())[:300]
    if status == 403 and reason == "SERVICE_DISABLED":
        service = meta.get("service", "the API")
        return GcpServiceDisabled(
            f"{service} is disabled in {resource}: enable it "
            f"(gcloud services enable {service} --project {resource.removeprefix('projects/')})",
            service,
        )
    if status in (401, 403):
        needed = meta.get("permission") or permission
        return GcpAccessDenied(
            f"PermissionDenied: {needed} on {resource} is not allowed for the credentials in use "
            f"({status}: {message})"
        )
    return GcpApiError(f"{permission} on {resource} failed: HTTP {status}: {message}")


def _retry_after(exc: BaseException) -> float | None:
    resp = getattr(exc, "resp", None)
    headers = resp if resp is not None else getattr(getattr(exc, "response", None), "headers", {})
    try:
        value = headers.get("retry-after") or headers.get("Retry-After")
    except AttributeError:
        return None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def call(
    fn: Callable[[], T],
    permission: str,
    resource: str,
    *,
    attempts: int,
    base_delay: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``fn()``, retried on 429 and 5xx with exponential backoff (``Retry-After`` first).

    Any error answer that remains becomes a :class:`GcpError` naming ``permission`` and
    ``resource``.
    """
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            status = status_of(exc)
            if status in RETRIED and attempt < attempts:
                wait = _retry_after(exc)
                if wait is None:
                    wait = min(base_delay * 2 ** (attempt - 1), 20.0) * (0.5 + random.random())
                sleep(min(wait, 60.0))
                continue
            raise translate(exc, permission, resource) from exc
    raise AssertionError("unreachable")  # pragma: no cover
