"""The table's shared-cause block and its ``new`` column, on hand-built results."""

from __future__ import annotations

from collections.abc import Callable

from soc2checks import Finding, RunResult, Status
from soc2checks.reporters import table
from soc2checks.reporters._common import shared_causes

CAUSE = "could not fetch 'aws_account': AwsNoCredentials: no AWS credentials found"


def _error(check: str, scope: dict[str, str], message: str = CAUSE) -> Finding:
    return Finding(
        check_id=check, control_id="c", criteria=["CC6.1"], status=Status.ERROR,
        provider="aws", scope=scope, message=message,
    )  # fmt: skip


def test_shared_causes_group_by_provider_scope_and_message() -> None:
    a, b = {"account": "111"}, {"account": "222"}
    found = shared_causes(
        [
            _error("aws.x.one", a),
            _error("aws.x.two", a),
            _error("aws.x.one", b),  # alone in its scope: not shared
            _error("aws.x.two", b, "other message"),
        ]
    )
    assert [(c.scope, c.check_ids) for c in found] == [
        ((("account", "111"),), ("aws.x.one", "aws.x.two"))
    ]
    assert found[0].headline() == f"2 aws checks could not judge (account=111), one cause: {CAUSE}"


def test_table_shows_a_shared_cause_once_and_refers_to_it(
    build: Callable[..., RunResult],
) -> None:
    findings = [_error(f"aws.x.c{i}", {}) for i in range(5)]
    text = table.render(build(findings))
    assert text.count(CAUSE) == 1
    assert f"  [1] 5 aws checks could not judge, one cause: {CAUSE}" in text
    assert (
        "  ERROR   5 checks: cause [1] above: aws.x.c0, aws.x.c1, aws.x.c2, aws.x.c3, aws.x.c4"
        in text
    )
    assert text.rstrip().endswith("5 findings (0 pass, 0 fail, 5 error, 0 skip, 0 waived)")


def test_new_column_marks_regressions_by_fingerprint(build: Callable[..., RunResult]) -> None:
    def fail(rid: str) -> Finding:
        return Finding(
            check_id="aws.x.one", control_id="c", criteria=["CC6.1"], status=Status.FAIL,
            provider="aws", scope={"account": "1"}, resource_id=rid, message=f"{rid} bad",
        )  # fmt: skip

    result = build([fail("r1"), fail("r2")])
    plain = table.render(result)
    assert " new " not in plain and "marked new" not in plain
    # A copy, not the same object: marking goes by fingerprint, as after a JSON round trip.
    result.regressions = [fail("r2")]
    text = table.render(result)
    assert "  FAIL    new  medium    aws.x.one  r2  (account=1)" in text
    assert "  FAIL         medium    aws.x.one  r1  (account=1)" in text
    assert "               r2 bad" in text  # message indented under the wider head
    assert "1 of the failures and errors are not in the baseline (marked new)" in text
