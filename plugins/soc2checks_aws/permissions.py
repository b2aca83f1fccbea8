"""Rendering the declared permissions of the selected checks as an IAM policy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

ORGANIZATION_ONLY = ("organizations:ListAccounts",)


def render_policy(actions: Sequence[str], config: Any = None) -> str:
    """A least-privilege identity policy allowing exactly ``actions`` (read-only APIs).

    The actions are grouped into one statement, sorted, without wildcards, so the
    document is stable and reviewable. ``Resource`` is ``*`` because the list and
    describe APIs these checks call do not support resource-level permissions.

    With ``config``, the policy fits the ``[aws]`` account mode: a single-account run
    does not get ``organizations:ListAccounts``, and a run over other accounts gets a
    second statement allowing ``sts:AssumeRole`` into the configured role.
    """
    from soc2checks_aws.settings import AwsSettings

    settings = config.settings("aws") if config is not None else None
    accounts = settings.accounts if isinstance(settings, AwsSettings) else None
    wanted = sorted({a.strip() for a in actions if a and a.strip() and ":" in a})
    if isinstance(settings, AwsSettings) and accounts != "organization":
        wanted = [a for a in wanted if a not in ORGANIZATION_ONLY]
    statements: list[dict[str, Any]] = [
        {
            "Sid": "Soc2ChecksReadOnly",
            "Effect": "Allow",
            "Action": wanted,
            "Resource": "*",
        }
    ]
    if isinstance(settings, AwsSettings) and accounts:
        statements.append(
            {
                "Sid": "Soc2ChecksAssumeMemberRole",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole"],
                "Resource": f"arn:aws:iam::*:role/{settings.role_name}",
            }
        )
    document = {"Version": "2012-10-17", "Statement": statements}
    return json.dumps(document, indent=2) + "\n"
