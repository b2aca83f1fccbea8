"""Every built-in reporter is registered and honours the shared call signature."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from soc2checks import RunResult
from soc2checks.reporters import BUILTIN_REPORTERS


def test_names() -> None:
    assert sorted(BUILTIN_REPORTERS) == [
        "csv",
        "html",
        "json",
        "jsonl",
        "junit",
        "markdown",
        "ocsf",
        "ocsf-jsonl",
        "oscal",
        "oscal-plan",
        "sarif",
        "table",
    ]


#: Formats of one line per finding: no findings, no lines.
LINE_FORMATS = {"ocsf-jsonl", "jsonl"}


@pytest.mark.parametrize("name", sorted(BUILTIN_REPORTERS))
def test_render_signature(name: str, result: RunResult, build: Callable[..., RunResult]) -> None:
    render = BUILTIN_REPORTERS[name]
    text = render(result, None, some_unknown_option=True)
    assert isinstance(text, str) and text.endswith("\n") and not text.endswith("\n\n")
    assert render(result) == text  # deterministic
    empty = render(build([]))
    assert isinstance(empty, str)
    assert empty == "" if name in LINE_FORMATS else empty.endswith("\n")
