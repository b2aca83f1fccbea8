"""Turning botocore errors into exceptions whose message names the action and resource.

AwsError               base class
├── AwsAccessDenied    the caller lacks an IAM action (also a PermissionError)
├── AwsNoCredentials   the boto3 chain found no credentials (says how to give some)
└── AwsApiError        any other error answer from an AWS API
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

T = TypeVar("T")

ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "AuthorizationError",
        "AuthorizationErrorException",
        "Forbidden",
        "403",
    }
)


class AwsError(Exception):
    """An AWS API call failed; the message names the IAM action and the resource."""


class AwsAccessDenied(AwsError, PermissionError):
    """The credentials in use are not allowed to perform the named IAM action."""


class AwsNoCredentials(AwsError, PermissionError):
    """No credentials were found: every check of the scope errors with this one cause."""


NO_CREDENTIALS_HINT = (
    "no AWS credentials found: set AWS_PROFILE, run `aws sso login`, or see docs/providers/aws.md"
)

# botocore exceptions that mean "no usable credentials", whatever call raised them
_NO_CREDENTIALS = frozenset({"NoCredentialsError", "PartialCredentialsError"})
_SSO_EXPIRED = frozenset({"UnauthorizedSSOTokenError", "SSOTokenLoadError", "TokenRetrievalError"})


class AwsApiError(AwsError, RuntimeError):
    """An AWS API answered with an error other than access denied."""


def error_code(exc: BaseException) -> str | None:
    """The ``Error.Code`` of a botocore ``ClientError`` (duck-typed), else ``None``."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    code = response.get("Error", {}).get("Code")
    return str(code) if code is not None else None


def _error_message(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        msg = response.get("Error", {}).get("Message")
        if msg:
            return str(msg)
    return str(exc)


def translate(exc: BaseException, action: str, resource: str) -> BaseException:
    """The exception to raise for ``exc``, raised by ``action`` on ``resource``."""
    code = error_code(exc)
    if code is None:
        if isinstance(exc, AwsError):
            return exc
        if type(exc).__name__ in _NO_CREDENTIALS:
            return AwsNoCredentials(f"{NO_CREDENTIALS_HINT} ({action} on {resource}: {exc})")
        if type(exc).__name__ == "ProfileNotFound":
            profile = getattr(exc, "kwargs", {}).get("profile", "")
            return AwsNoCredentials(
                f"AWS profile '{profile}' not found in the AWS config files: check "
                "AWS_PROFILE, --profile and the [aws] profile setting, or see "
                "docs/providers/aws.md"
            )
        if type(exc).__name__ in _SSO_EXPIRED:
            return AwsNoCredentials(
                f"the AWS SSO session has expired or was never started: run `aws sso login` "
                f"(or see docs/providers/aws.md) ({action} on {resource}: {exc})"
            )
        if type(exc).__module__.split(".")[0] in ("botocore", "urllib3"):
            # malformed answers, connection and timeout errors after retries
            detail = " ".join(str(exc).split())
            return AwsApiError(f"{action} on {resource} failed: {type(exc).__name__}: {detail}")
        return exc
    if code in ACCESS_DENIED_CODES:
        return AwsAccessDenied(
            f"AccessDenied: {action} on {resource} is not allowed for the credentials "
            f"in use ({code}: {_error_message(exc)})"
        )
    return AwsApiError(f"{action} on {resource} failed: {code}: {_error_message(exc)}")


def call(
    fn: Callable[..., T],
    action: str,
    resource: str,
    *,
    absent: Collection[str] = (),
    **kwargs: Any,
) -> T | None:
    """Call ``fn(**kwargs)``; error codes in ``absent`` mean "not configured" (``None``).

    Any other botocore ``ClientError`` becomes an :class:`AwsError` naming ``action``
    and ``resource``.
    """
    try:
        return fn(**kwargs)
    except Exception as exc:
        code = error_code(exc)
        if code is not None and code in absent:
            return None
        raise translate(exc, action, resource) from exc


def call_required(fn: Callable[..., T], action: str, resource: str, **kwargs: Any) -> T:
    """Like :func:`call`, for calls where no error answer is data."""
    try:
        return fn(**kwargs)
    except Exception as exc:
        raise translate(exc, action, resource) from exc


def paginate(client: Any, op: str, key: str, action: str, where: str, **kw: Any) -> list[Any]:
    """Every item under ``key`` of every page of ``op``; errors name ``action``."""
    items: list[Any] = []
    try:
        for page in client.get_paginator(op).paginate(**kw):
            items.extend(page.get(key, []))
    except Exception as exc:
        raise translate(exc, action, where) from exc
    return items
