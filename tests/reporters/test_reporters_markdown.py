"""The Markdown report: flat control table, failures with evidence, escaping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from soc2checks import RunResult
from soc2checks._config import Config, ConfigFile
from soc2checks.reporters import markdown


def _table_rows(text: str, header_start: str) -> list[list[str]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.replace("\\|", "\0").strip("|").split("|")]
        rows.append([c.replace("\0", "\\|") for c in cells])
    return rows


def test_flat_table_of_every_control(result: RunResult, tmp_path: Path) -> None:
    config = Config(
        ConfigFile(owners={"mfa-enforced": "it-security@example.com"}),
        path=tmp_path / "soc2checks.toml",
    )
    text = markdown.render(result, config)
    rows = _table_rows(text, "| Control |")
    assert all(len(r) == 9 for r in rows)
    by_control = {r[0]: r for r in rows}
    assert set(by_control) == {
        "(none)",
        "`encryption-at-rest`",
        "`mfa-enforced`",
        "`policies-reviewed`",
    }
    mfa = by_control["`mfa-enforced`"]
    assert mfa[1:4] == ["CC6.1, CC6.2", "it-security@example.com", "❌ fail"]
    assert mfa[4:] == ["1", "2", "0", "1", "0"]  # pass fail error skip waived
    assert by_control["`encryption-at-rest`"][3] == "⚠️ error"
    assert by_control["`policies-reviewed`"][3] == "✅ pass"


def test_failures_and_errors_detailed_passes_not(result: RunResult) -> None:
    text = markdown.render(result)
    failures = text.split("## Failures and errors")[1].split("## Waived")[0]
    headings = [line for line in failures.splitlines() if line.startswith("### ")]
    assert len(headings) == 4
    assert headings[0].startswith("### ❌ fail: `custom.unmapped`")  # critical first
    assert headings[-1].startswith("### ⚠️ error: `aws.s3.bucket-encryption`")
    assert "user/alice" not in failures
    assert '"password_last_used": "2026-11-01"' in failures
    assert "**Remediation:** Enable an MFA device for the user &amp; rotate \\<keys\\>." in failures


def test_escaping(result: RunResult) -> None:
    text = markdown.render(result)
    assert "<script>" not in text
    assert "\\<script\\>" in text
    assert "\x1b" not in text and "\x07" not in text
    waived = _table_rows(text, "| Check |")
    assert len(waived) == 1 and len(waived[0]) == 5
    assert waived[0][2] == "static marketing site, no customer \\<data\\> &amp; no PII"


def test_summary_and_warning(result: RunResult) -> None:
    text = markdown.render(result, title="Nightly")
    lines = text.splitlines()
    assert lines[0] == "# Nightly"
    assert "8 findings \\(" not in text
    assert "soc2checks: 8 findings (2 pass, 3 fail, 1 error, 1 skip, 1 waived)" in text
    assert "> **Warning:** waiver for 'aws.ec2.\\*' expired on 2026-01-31" in text


def test_limit(result: RunResult) -> None:
    text = markdown.render(result, limit=1)
    assert text.count("\n### ") == 1
    assert "…and 3 more" in text


def test_clean_run(build: Callable[..., RunResult]) -> None:
    text = markdown.render(build([]))
    assert "No findings." in text and "None." in text and "## Waived" not in text
