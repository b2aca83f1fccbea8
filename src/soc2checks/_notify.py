"""Notifications after a gated run: the ``soc2checks_notify`` hook and the webhook.

Called by ``soc2checks run --baseline``: once per regression, then once per new error.
Nothing here fails the run; every problem is one warning line handed to ``warn``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from soc2checks._config import Config, NotifySettings
    from soc2checks._model import Finding, RunResult
    from soc2checks._plugins import Registry

REGRESSION, NEW_ERROR = "regression", "new-error"
_BACKOFF = 0.25  # seconds before the first retry, doubled for each next one


def notify(
    registry: Registry, result: RunResult, config: Config, warn: Callable[[str], None]
) -> int:
    """Call the hook and the webhook for each regression and new error; returns how
    many webhook messages were delivered."""
    todo = [(f, REGRESSION) for f in result.regressions]
    todo += [(f, NEW_ERROR) for f in result.new_errors]
    settings: NotifySettings = config.data.notify
    delivered = 0
    for finding, kind in todo:
        _call_hooks(registry, finding, kind, result, config, warn)
        if settings.webhook:
            problem = send_webhook(settings, payload(settings.format, finding, kind))
            if problem:
                warn(f"notify: {_host(settings.webhook)}: {problem} (the run is unaffected)")
            else:
                delivered += 1
    return delivered


def _call_hooks(
    registry: Registry,
    finding: Finding,
    kind: str,
    result: RunResult,
    config: Config,
    warn: Callable[[str], None],
) -> None:
    hook = registry.pm.hook.soc2checks_notify
    for impl in reversed(hook.get_hookimpls()):
        try:
            impl.function(finding=finding, kind=kind, result=result, config=config)
        except Exception as exc:  # a notifier never fails the run
            warn(f"notify: plugin '{impl.plugin_name}' raised {type(exc).__name__}: {exc}")


def _host(url: str) -> str:
    """The scheme and host only: a webhook's path is often its secret."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _headline(finding: Finding, kind: str) -> str:
    from soc2checks.reporters._common import scope_label

    what = "regression" if kind == REGRESSION else "new error"
    scope = scope_label(finding.scope)
    where = f"{finding.resource_id or '-'}" + (f" ({scope})" if scope else "")
    return f"soc2checks {what}: {finding.check_id} on {where}"


def payload(fmt: str, finding: Finding, kind: str) -> dict[str, Any]:
    """The JSON body for ``fmt``: ``slack`` (incoming webhook), ``teams`` (Workflows
    webhook, an Adaptive Card) or ``json`` (the finding with the JSON document's
    field names)."""
    head = _headline(finding, kind)
    criteria = ", ".join(finding.criteria) or "-"
    detail = (
        f"{finding.message or '(no message)'}\n"
        f"control {finding.control_id or '-'} · criteria {criteria} · severity {finding.severity}"
    )
    if fmt == "slack":
        return {"text": f"*{head}*\n{detail}"}
    if fmt == "teams":
        card = {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": head, "weight": "Bolder", "wrap": True},
                {"type": "TextBlock", "text": detail, "wrap": True},
            ],
        }
        return {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
            ],
        }
    return {
        "schema": "soc2checks/notification/v1",
        "kind": kind,
        "summary": head,
        "finding": finding.model_dump(mode="json"),
    }


def send_webhook(settings: NotifySettings, body: dict[str, Any]) -> str | None:
    """POST ``body`` with retries; None when delivered, else why not (one line)."""
    import urllib.error
    import urllib.request

    if not settings.webhook:
        return "no webhook configured"
    data = json.dumps(body, sort_keys=True).encode()
    attempts = settings.retries + 1
    problem = "not sent"
    for attempt in range(attempts):
        if attempt:
            time.sleep(_BACKOFF * 2 ** (attempt - 1))
        request = urllib.request.Request(
            settings.webhook,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "soc2checks"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout) as resp:
                resp.read()
            return None
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
            if exc.code < 500 and exc.code not in (408, 429):
                return f"{problem}, not retried"
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            problem = "timed out" if "timed out" in str(reason) else f"{reason}"
    return f"{problem} after {attempts} attempt{'s' if attempts > 1 else ''}"
