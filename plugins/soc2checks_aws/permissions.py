"""Rendering the declared permissions of the selected checks as an IAM policy."""

from __future__ import annotations

import json
from collections.abc import Sequence


def render_policy(actions: Sequence[str]) -> str:
    """A least-privilege identity policy allowing exactly ``actions`` (read-only APIs).

    The actions are grouped into one statement, sorted, without wildcards, so the
    document is stable and reviewable. ``Resource`` is ``*`` because the list and
    describe APIs these checks call do not support resource-level permissions.
    """
    wanted = sorted({a.strip() for a in actions if a and a.strip() and ":" in a})
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Soc2ChecksReadOnly",
                "Effect": "Allow",
                "Action": wanted,
                "Resource": "*",
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
