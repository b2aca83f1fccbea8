"""Turning Azure SDK errors into exceptions whose message says what to do.

AzureError              base class
├── AzureAccessDenied   403 AuthorizationFailed (RBAC) or Authorization_RequestDenied (Graph)
├── AzureLicenceError   the Graph API needs a licence the tenant lacks (Entra ID P1)
└── AzureApiError       any other error answer, after the SDK's retries
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

LICENCE_CODES = {"Authentication_RequestFromNonPremiumTenantOrB2CTenant"}


class AzureError(Exception):
    """An Azure API call failed."""


class AzureAccessDenied(AzureError, PermissionError):
    """The credential lacks the named RBAC action or Graph permission."""


class AzureLicenceError(AzureError):
    """The tenant lacks the licence the API needs."""


class AzureApiError(AzureError, RuntimeError):
    """Any other error answer."""


def _status_code_message(exc: BaseException) -> tuple[int | None, str, str]:
    status = getattr(exc, "status_code", None) or getattr(exc, "response_status_code", None)
    code, message = "", " ".join(str(exc).split())
    err = getattr(exc, "error", None)
    if err is not None:
        code = str(getattr(err, "code", "") or "")
        message = " ".join(str(getattr(err, "message", "") or message).split())
    return (int(status) if status else None), code, message[:400]


def translate(exc: BaseException, needs: str, where: str) -> BaseException:
    """The exception to raise for ``exc`` from a call that needs ``needs`` on ``where``."""
    if isinstance(exc, AzureError):
        return exc
    status, code, message = _status_code_message(exc)
    module = type(exc).__module__.split(".")[0]
    if status is None:
        if module in ("azure", "kiota_abstractions", "kiota_http", "msgraph", "httpx"):
            return AzureApiError(f"{needs} on {where} failed: {type(exc).__name__}: {message}")
        return exc
    if code in LICENCE_CODES:
        return AzureLicenceError(
            f"{where} needs a Microsoft Entra ID P1 licence, which the tenant lacks ({code})"
        )
    if status in (401, 403):
        return AzureAccessDenied(
            f"AccessDenied: {needs} on {where} is not allowed for the credential in use "
            f"({status} {code}: {message})"
        )
    return AzureApiError(f"{needs} on {where} failed: HTTP {status} {code}: {message}")


def call(fn: Callable[[], T], needs: str, where: str) -> T:
    """``fn()``; SDK errors become :class:`AzureError` naming ``needs`` and ``where``."""
    try:
        return fn()
    except Exception as exc:
        raise translate(exc, needs, where) from exc
