"""compare(old, new) and ``soc2checks diff``: findings matched by fingerprint."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from soc2checks import Finding, RunInfo, RunResult, Status, Summary
from soc2checks._compare import compare
from soc2checks.cli import main
from soc2checks.reporters import json as json_reporter


def _f(rid: str, status: Status, check: str = "aws.s3.enc", account: str = "1") -> Finding:
    return Finding(
        check_id=check,
        control_id="enc",
        criteria=["CC6.1"],
        status=status,
        provider="aws",
        scope={"account": account},
        resource_id=rid,
        message=f"{rid} is {status.value}",
    )


def _run(run_id: str, *findings: Finding) -> RunResult:
    t = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    info = RunInfo(id=run_id, started_at=t, finished_at=t, tool_version="0.1.0")
    return RunResult(run=info, summary=Summary.of(list(findings)), findings=list(findings))


S = Status
OLD = _run(
    "old",
    _f("a", S.FAIL), _f("b", S.FAIL), _f("c", S.PASS), _f("d", S.ERROR), _f("e", S.FAIL),
    _f("f", S.FAIL), _f("g", S.ERROR), _f("h", S.FAIL), _f("i", S.FAIL), _f("j", S.WAIVED),
    _f("k", S.PASS), _f("l", S.SKIP),
)  # fmt: skip
NEW = _run(
    "new",
    _f("a", S.FAIL),  # still failing
    _f("b", S.PASS),  # fixed
    _f("c", S.FAIL),  # new failure (was passing)
    _f("d", S.FAIL),  # error cleared, and a new failure
    _f("e", S.ERROR),  # new error; not fixed
    _f("f", S.SKIP),  # fixed: no longer applies
    # g and h absent: gone (h was failing, g erroring); never "fixed"
    _f("i", S.WAIVED),  # waived now, not fixed
    _f("j", S.FAIL),  # the waiver expired: a new failure
    _f("k", S.PASS),  # unchanged
    _f("l", S.SKIP),  # unchanged
    _f("m", S.FAIL),  # new resource failing
    _f("a", S.FAIL, account="2"),  # same resource ID in another scope: a different finding
)  # fmt: skip


def _ids(group: tuple[Finding, ...]) -> list[str]:
    return [
        f.resource_id + ("@" + f.scope["account"] if f.scope["account"] != "1" else "")
        for f in group
    ]


def test_every_kind_of_change() -> None:
    c = compare(OLD, NEW)
    assert _ids(c.new_failures) == ["c", "d", "j", "m", "a@2"]
    assert _ids(c.still_failing) == ["a"]
    assert _ids(c.fixed) == ["b", "f"]
    assert _ids(c.newly_waived) == ["i"]
    assert _ids(c.new_errors) == ["e"]
    assert _ids(c.cleared_errors) == ["d"]
    assert _ids(c.gone) == ["g", "h"]
    assert c.regressed
    assert c.counts()["new_failures"] == 5


def test_same_run_twice_is_no_change_and_order_does_not_matter() -> None:
    c = compare(OLD, _run("again", *reversed(OLD.findings)))
    failing = len([f for f in OLD.findings if f.status is S.FAIL])
    assert failing == 6
    assert c.counts() == {k: failing if k == "still_failing" else 0 for k in c.counts()}
    assert not c.regressed
    assert compare(NEW, NEW).new_errors == ()


def _write(tmp_path: Path, name: str, result: RunResult) -> str:
    path = tmp_path / name
    path.write_text(json_reporter.render(result), encoding="utf-8")
    return str(path)


def test_diff_command_table_and_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    assert main(["diff", old, new]) == 1
    out = capsys.readouterr().out
    assert out.index("New failures (5)") < out.index("New errors (could not judge) (1)")
    assert out.index("New errors") < out.index("Still failing (1)") < out.index("Fixed (2)")
    assert "No longer judged (failing or erroring before, absent now) (2)" in out
    assert "          c is fail" in out  # messages under new failures
    assert "b is pass" not in out  # not under fixed ones
    assert (
        out.rstrip().splitlines()[-1].startswith("soc2checks diff: 5 new failing, 1 new erroring")
    )
    assert main(["diff", new, new]) == 0  # nothing new
    assert main(["diff", new, old]) == 1  # the other way round, b fails again


def test_diff_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    assert main(["diff", old, new, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "soc2checks/diff/v1"
    assert (doc["old_run"], doc["new_run"], doc["regressed"]) == ("old", "new", True)
    assert doc["summary"] == compare(OLD, NEW).counts()
    assert [f["resource_id"] for f in doc["fixed"]] == ["b", "f"]
    assert doc["fixed"][0]["status"] == "pass"


def test_diff_bad_inputs_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path, "good.json", OLD)
    (tmp_path / "baseline.json").write_text('{"schema": "soc2checks/baseline/v1"}')
    for args, needle in [
        ([str(tmp_path / "missing.json"), good], "cannot read"),
        ([good, str(tmp_path / "baseline.json")], "is this a soc2checks findings file"),
    ]:
        assert main(["diff", *args]) == 2
        err = capsys.readouterr().err
        assert needle in err and err.count("\n") == 1, err
    with pytest.raises(SystemExit) as exc:
        main(["diff", good])
    assert exc.value.code == 2
    assert "the following arguments are required" in capsys.readouterr().err
