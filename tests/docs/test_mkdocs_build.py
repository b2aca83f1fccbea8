"""The docs site builds with ``mkdocs build --strict`` and the API page is generated
from the docstrings (mkdocstrings), so a broken link, anchor or reference fails here."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _text(page: Path) -> str:
    raw = page.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw)))


def test_mkdocs_build_strict_and_api_page_from_docstrings(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings_handlers.python")
    site = tmp_path / "site"
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    api = _text(site / "api" / "index.html")
    # Text that exists only in the docstrings, not in docs/api.md itself:
    for fragment in (
        "Run the selected checks and return every finding, without printing anything.",
        "a baseline file written by soc2checks run --write-baseline",
        "with baseline= , the failures whose fingerprint",
        "what makes soc2checks run --baseline exit 3",
        "pass_ int findings that passed.",
        "the Trust Services Criteria of the control",
        "Declare a control:",
    ):
        assert fragment in api, fragment
    # Private modules are not shown as where the public names live.
    assert api.count("soc2checks._") == 1, "only the intro's example of a private module"
