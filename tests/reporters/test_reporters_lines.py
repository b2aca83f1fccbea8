"""``jsonl`` and ``csv``: the JSON document's field names, one finding per line or row."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from soc2checks import Finding, RunResult, Severity, Status
from soc2checks.reporters import BUILTIN_REPORTERS
from soc2checks.reporters import csv as csv_reporter
from soc2checks.reporters._stream import GuardedStream, Streaming, StreamWriteError
from soc2checks.reporters.json import finding_to_dict, result_to_dict


def test_jsonl_lines_are_the_json_documents_findings(result: RunResult) -> None:
    text = BUILTIN_REPORTERS["jsonl"](result)
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines == result_to_dict(result)["findings"]
    assert text.count("\n") == len(result.findings)


def test_csv_columns_are_the_json_field_names(result: RunResult) -> None:
    rows = list(csv.DictReader(io.StringIO(BUILTIN_REPORTERS["csv"](result))))
    doc = result_to_dict(result)["findings"]
    assert list(rows[0]) == list(finding_to_dict(result.findings[0]))
    assert [(r["check_id"], r["resource_id"], r["status"]) for r in rows] == [
        (d["check_id"], d["resource_id"], d["status"]) for d in doc
    ]
    bob = next(r for r in rows if r["resource_id"].endswith("user/bob"))
    assert bob["criteria"] == "CC6.1, CC6.2"
    assert bob["scope"] == "account=111111111111"
    assert json.loads(bob["evidence"])["groups"] == ["Développeurs", "admins", "zeta"]
    waived = next(r for r in rows if r["status"] == "waived")
    assert json.loads(waived["waiver"])["ticket"] == "SEC-42"
    unmapped = next(r for r in rows if r["check_id"] == "custom.unmapped")
    assert unmapped["message"] == "multi\nline & <b>bold</b>"  # quoted, round-trips
    assert unmapped["waiver"] == "" and unmapped["evidence"] == ""


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("plain = fine", "plain = fine"),
    ],
)
def test_csv_neutralises_spreadsheet_formulas(text: str, cell: str, build: Any) -> None:
    f = Finding(
        check_id="x.y", status=Status.FAIL, severity=Severity.LOW, resource_id=text, message=text
    )
    rows = list(csv.DictReader(io.StringIO(csv_reporter.render(build([f])))))
    assert rows[0]["resource_id"] == cell and rows[0]["message"] == cell


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_streamed_equals_rendered_and_is_deterministic(
    fmt: str, findings: list[Finding], build: Any
) -> None:
    reporter = BUILTIN_REPORTERS[fmt]
    assert isinstance(reporter, Streaming)
    result = build(findings)
    out = io.StringIO()
    stream = reporter.start(out)
    for f in sorted(findings, key=Finding.sort_key):
        stream.write(f)
    stream.finish(result)
    assert out.getvalue() == reporter(result)
    assert reporter(build(list(reversed(findings)))) == reporter(result)


class _Sink(io.TextIOBase):
    """Counts what is written and keeps none of it."""

    def __init__(self) -> None:
        self.chars = 0
        self.lines = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        self.lines += s.count("\n")
        return len(s)


def _many(n: int) -> Iterator[Finding]:
    for i in range(n):
        yield Finding(
            check_id="bench.check",
            control_id="c",
            criteria=["CC6.1"],
            status=Status.FAIL if i % 3 else Status.PASS,
            severity=Severity.HIGH,
            provider="aws",
            scope={"account": "1"},
            resource_id=f"arn:x:{i:08d}",
            message="m" * 100,
            evidence={"i": i},
        )


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "ocsf-jsonl"])
def test_a_stream_holds_no_findings(fmt: str, build: Any) -> None:
    """Memory while streaming does not grow with the number of findings written."""
    reporter = BUILTIN_REPORTERS[fmt]
    assert isinstance(reporter, Streaming)

    def peak(n: int) -> int:
        sink = _Sink()
        tracemalloc.start()
        stream = reporter.start(sink)
        for f in _many(n):
            stream.write(f)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert sink.lines == n + (1 if fmt == "csv" else 0)
        return top

    small, large = peak(100), peak(1000)
    assert large < small * 1.5 + 20_000, (small, large)


class _Full(io.StringIO):
    def write(self, s: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_write_error_is_one_line_at_finish_not_a_silent_short_file(build: Any) -> None:
    f = next(_many(1))
    stream = GuardedStream(BUILTIN_REPORTERS["jsonl"].start(_Full()), "jsonl")  # type: ignore[attr-defined]
    stream.write(f)
    stream.write(f)
    with pytest.raises(StreamWriteError, match="cannot write the jsonl output: No space left"):
        stream.finish(build([f]))
