"""The HTML page: self-contained, escaped, grouped by criterion, failures first."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from soc2checks import RunResult
from soc2checks.reporters import html

VOID = {"meta", "br", "hr", "img", "input", "link"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def test_well_formed_and_self_contained(result: RunResult) -> None:
    page = html.render(result)
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert checker.tags.count("script") == 1  # only our filter script
    assert checker.urls == []  # nothing loaded from elsewhere
    assert page.startswith("<!DOCTYPE html>")


def test_everything_escaped(result: RunResult) -> None:
    page = html.render(result)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "Zoë &lt;ops&gt;" in page  # evidence is escaped too
    assert "\x1b" not in page and "\x07" not in page


def test_sections_per_criterion_failures_first(result: RunResult) -> None:
    page = html.render(result)
    ids = re.findall(r'<section class="criterion" id="([^"]+)">', page)
    assert ids == [
        "crit-CC1-1",
        "crit-CC5-3",
        "crit-CC6-1",
        "crit-CC6-2",
        "crit-CC6-7",
        "crit--unmapped-",
    ]
    cc61 = page.split('id="crit-CC6-1"')[1].split("</section>")[0]
    order = re.findall(r'class="finding st-(\w+)"', cc61)
    assert order == ["fail", "fail", "error", "waived", "skip", "pass"]
    assert "<details open>" in cc61  # a criterion with failures starts open
    cc11 = page.split('id="crit-CC1-1"')[1].split("</section>")[0]
    assert "<details>" in cc11


def test_evidence_summary_and_controls(result: RunResult) -> None:
    page = html.render(result, check_titles={"aws.iam.console-user-mfa": "Console users have MFA"})
    assert "&quot;password_last_used&quot;: &quot;2026-11-01&quot;" in page
    assert "soc2checks: 8 findings (2 pass, 3 fail, 1 error, 1 skip, 1 waived)" in page
    assert "<code>mfa-enforced</code>" in page
    assert "Console users have MFA" in page
    assert "waived: static marketing site, no customer &lt;data&gt;" in page


def test_not_verbose_counts_passes(result: RunResult) -> None:
    page = html.render(result, verbose=False)
    assert "st-pass" not in page
    assert "1 passing finding not listed" in page
