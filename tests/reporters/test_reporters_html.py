"""The auditor's HTML page: self-contained, escaped, each finding once, every criterion."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from soc2checks import RunResult
from soc2checks._catalog import criteria
from soc2checks._config import load_config
from soc2checks.reporters import html

VOID = {"meta", "br", "hr", "img", "input", "link"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]
        self.ids += [v or "" for k, v in attrs if k == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def _check(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    return checker


def test_well_formed_and_self_contained(result: RunResult) -> None:
    page = html.render(result)
    checker = _check(page)
    assert checker.stack == []
    assert checker.tags.count("script") == 1  # only our filter script
    assert all(u.startswith("#") for u in checker.urls)  # in-page links only
    assert len(checker.ids) == len(set(checker.ids))
    for url in checker.urls:  # the table of contents points at sections that exist
        assert url[1:] in checker.ids, url
    assert page.startswith("<!DOCTYPE html>")


def test_everything_escaped(result: RunResult) -> None:
    page = html.render(result)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "Zoë &lt;ops&gt;" in page  # evidence is escaped too
    assert "\x1b" not in page and "\x07" not in page


def test_each_finding_once_failures_first_passes_collapsed(result: RunResult) -> None:
    page = html.render(result)
    statuses = re.findall(r'<details class="finding st-(\w+)"', page)
    assert len(statuses) == len(result.findings)  # once each, not once per criterion
    assert statuses == ["fail"] * 3 + ["error", "waived", "skip", "pass", "pass"]
    assert '<details class="group" id="group-fail" open>' in page
    assert '<details class="group" id="group-pass"><summary>Passing: 2</summary>' in page
    bob = page.split("user/bob")[1].split("</details>")[0]
    assert "CC6.1, CC6.2" in bob  # its criteria listed on the finding


def test_remediation_only_where_something_failed(result: RunResult) -> None:
    page = html.render(result)
    passing = page.split('id="group-pass"')[1].split('id="waivers"')[0]
    assert "Remediation" not in passing  # alice passes; her check has a remediation
    failing = page.split('id="group-fail"')[1].split('id="group-error"')[0]
    assert "Enable an MFA device for the user &amp; rotate &lt;keys&gt;." in failing


def test_readiness_lists_every_criterion_of_the_categories(result: RunResult) -> None:
    page = html.render(result)
    rows = re.findall(r'<tr data-criterion="([^"]+)">(.*?)</tr>', page)
    security = [c.id for c in criteria().values() if c.category == "security"]
    assert [cid for cid, _ in rows] == security  # all 33, covered or not
    cells = dict(rows)
    assert "automated" in cells["CC6.1"] and "s-fail" in cells["CC6.1"]
    assert "documents" in cells["CC1.1"] and "s-pass" in cells["CC1.1"]
    assert "nothing" in cells["CC1.2"] and "no evidence" in cells["CC1.2"]
    assert "s-error" in cells["CC6.7"]
    page = html.render(result, categories=["security", "privacy"])
    ids = re.findall(r'<tr data-criterion="([^"]+)">', page)
    assert ids[-1].startswith("P") and len(ids) > len(security)


def test_titles_owners_and_period_from_config(result: RunResult, tmp_path: Path) -> None:
    cfg = tmp_path / "soc2checks.toml"
    cfg.write_text(
        '[owners]\n"mfa-enforced" = "it-security@example.com"\n'
        '[report]\ntitle = "Acme SOC 2 Type II readiness"\norganization = "Acme <Corp>"\n'
        'system = "Acme Cloud"\nperiod_start = 2026-01-01\nperiod_end = 2026-12-31\n'
    )
    page = html.render(
        result,
        load_config(cfg),
        check_titles={"aws.iam.console-user-mfa": "Console users have MFA"},
        control_titles={"mfa-enforced": "MFA enforced"},
    )
    assert "<title>Acme SOC 2 Type II readiness</title>" in page
    assert "Organization: <strong>Acme &lt;Corp&gt;</strong>" in page
    assert "System: <strong>Acme Cloud</strong>" in page
    assert "Period: <strong>2026-01-01 to 2026-12-31</strong>" in page
    assert "Checked on 28 November 2026 at 10:00 UTC, in 42 seconds" in page
    assert "Console users have MFA" in page
    assert "<td>MFA enforced</td><td>it-security@example.com</td>" in page
    assert page.index('id="about"') < page.index("run-0001")  # the ID comes last


def test_waivers_listed_with_justification_and_expiry(result: RunResult) -> None:
    waivers = html.render(result).split('id="waivers"')[1].split('id="run"')[0]
    assert "static marketing site, no customer &lt;data&gt; &amp; no PII" in waivers
    assert "ciso@example.com" in waivers and "2027-03-31" in waivers and "SEC-42" in waivers


def test_not_verbose_counts_passes(result: RunResult) -> None:
    page = html.render(result, verbose=False)
    assert "st-pass" not in page
    assert "2 passing findings (not listed)." in page


def test_empty_run(build: Callable[..., RunResult]) -> None:
    page = html.render(build([]))
    assert "No findings." in page and _check(page).stack == []


def _evidence_block(page: str, resource: str) -> str:
    """The evidence of the finding on ``resource``, tags and all."""
    finding = page.split(f"<dd><code>{resource}</code></dd>")[1].split("</details>")[0]
    assert "<div>Evidence</div>" in finding, finding
    return finding.split("<div>Evidence</div>")[1]


def test_record_and_document_evidence_read_as_a_place_and_labelled_fields(
    build: Callable[..., RunResult],
) -> None:
    from soc2checks import Finding, Status

    def files(resource: str, resource_type: str, **evidence: object) -> Finding:
        return Finding(
            check_id="files.x",
            status=Status.FAIL,
            provider="files",
            resource_id=resource,
            resource_type=resource_type,
            evidence=evidence,
        )

    record = files(
        "records/personnel.csv#jonas@example.com",
        "files:record:personnel",
        path="compliance/records/personnel.csv",
        line=8,
        completed_on=dt.date(2025, 10, 29),
        missing=[],
        policies=["acceptable-use", "code <of> conduct"],
        row={"email": "jonas@example.com", "active": True, "manager": None},
    )
    document = files(
        "compliance/policies/acceptable-use.md",
        "files:policy",
        path="compliance/policies/acceptable-use.md",
        approved_by="Dana Whitfield (CTO)",
        has_front_matter=True,
        last_reviewed="2026-05-17",
    )
    iam = Finding(  # an IAM user's path is no file of the compliance folder
        check_id="aws.iam.x",
        status=Status.FAIL,
        provider="aws",
        resource_id="arn:aws:iam::1:user/ops",
        evidence={"path": "/ops/", "statements": [{"Effect": "Allow", "Action": "*"}]},
    )
    page = html.render(build([record, document, iam]))
    assert _check(page).stack == []
    rec = _evidence_block(page, "records/personnel.csv#jonas@example.com")
    assert rec.startswith(
        '<div class="source">Record: <code>compliance/records/personnel.csv</code>, line 8</div>'
    )
    assert "<dt>Completed on</dt><dd>2025-10-29</dd>" in rec
    assert '<dt>Missing</dt><dd><span class="muted">none</span></dd>' in rec
    assert "<dt>Policies</dt><dd>acceptable-use, code &lt;of&gt; conduct</dd>" in rec
    assert "<dt>Row</dt><dd><dl" in rec  # the row's own fields, nested
    assert "<dt>Active</dt><dd>yes</dd><dt>Email</dt><dd>jonas@example.com</dd>" in rec
    assert '<dt>Manager</dt><dd><span class="muted">none</span></dd>' in rec
    assert "{" not in rec and "<dt>Path</dt>" not in rec and "<dt>Line</dt>" not in rec
    doc = _evidence_block(page, "compliance/policies/acceptable-use.md")
    assert doc.startswith(
        '<div class="source">Document: <code>compliance/policies/acceptable-use.md</code></div>'
    )
    assert "<dt>Approved by</dt><dd>Dana Whitfield (CTO)</dd>" in doc
    assert "<dt>Has front matter</dt><dd>yes</dd>" in doc
    assert "<dt>Last reviewed</dt><dd>2026-05-17</dd>" in doc
    aws = _evidence_block(page, "arn:aws:iam::1:user/ops")
    assert 'class="source"' not in aws and "<dt>Path</dt><dd>/ops/</dd>" in aws
    assert "<pre>[\n  {\n    &quot;Action&quot;: &quot;*&quot;" in aws  # deeper: JSON
