"""The terminal table: grouped by criterion, failures first, colour only when asked."""

from __future__ import annotations

import re
from collections.abc import Callable

from soc2checks import RunResult
from soc2checks._catalog import criteria
from soc2checks.reporters import table


def _section(text: str, cid: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(cid + " "))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def test_grouped_by_criterion_with_titles_and_counts(result: RunResult) -> None:
    text = table.render(result)
    headers = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert [h.split()[0] for h in headers[:-1]] == [
        "CC1.1",
        "CC5.3",
        "CC6.1",
        "CC6.2",
        "CC6.7",
        "(unmapped)",
    ]
    cc61 = _section(text, "CC6.1")
    assert cc61[0] == (
        f"CC6.1  {criteria()['CC6.1'].title}  [2 fail, 1 error, 1 waived, 1 skip, 1 pass]"
    )
    # a finding mapped to CC6.1 and CC6.2 appears under both
    for cid in ("CC6.1", "CC6.2"):
        assert any("user/bob" in line for line in _section(text, cid))
    assert not any("user/bob" in line for line in _section(text, "CC6.7"))


def test_explicit_titles_override_catalog(result: RunResult) -> None:
    text = table.render(result, criterion_titles={"CC6.1": "My access title"})
    assert _section(text, "CC6.1")[0].startswith("CC6.1  My access title  [")


def test_failures_and_errors_first_passes_counted(result: RunResult) -> None:
    lines = _section(table.render(result), "CC6.1")
    labels = [line.split()[0] for line in lines[1:] if re.match(r"  [A-Z]+ ", line)]
    assert labels == ["FAIL", "FAIL", "ERROR", "WAIVED", "SKIP"]
    assert lines[-1].strip() == "1 passing finding not listed (verbose lists them)"
    assert not any("user/alice" in line for line in lines)
    verbose = _section(table.render(result, verbose=True), "CC6.1")
    assert [line.split()[0] for line in verbose if line.startswith("  PASS")] == ["PASS"]
    assert any("user/alice" in line for line in verbose)


def test_waiver_and_messages_shown(result: RunResult) -> None:
    text = table.render(result)
    assert "waived: static marketing site" in text
    assert "approved by ciso@example.com, expires 2027-03-31" in text
    assert "AccessDenied: s3:GetBucketEncryption" in text


def test_colour_only_when_asked(result: RunResult) -> None:
    plain = table.render(result)
    assert "\x1b" not in plain  # not even from the message that contains an escape
    assert "\\x1b[31m\\x07" in plain
    coloured = table.render(result, color=True)
    assert "\x1b[1;31mFAIL" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_failures_only(result: RunResult) -> None:
    text = table.render(result, failures_only=True)
    assert "WAIVED" not in text and "SKIP " not in text and "passing" not in text
    assert "CC1.1" not in text and "CC5.3" not in text
    assert _section(text, "CC6.7")[0].endswith("[1 error]")
    assert text.splitlines()[-1] == table.render(result).splitlines()[-1]


def test_summary_line_is_not_a_test_runner_closing_line(result: RunResult) -> None:
    last = table.render(result).splitlines()[-1]
    assert last == "soc2checks: 8 findings (2 pass, 3 fail, 1 error, 1 skip, 1 waived)"
    assert not re.search(r"\d+ passed, \d+ failed", table.render(result))


def test_empty_run(build: Callable[..., RunResult]) -> None:
    text = table.render(build([]))
    assert (
        text
        == "no findings\n\nsoc2checks: 0 findings (0 pass, 0 fail, 0 error, 0 skip, 0 waived)\n"
    )
