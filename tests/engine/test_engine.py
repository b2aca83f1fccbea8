"""The engine's rules: statuses, injection, caching, fan-out, evidence, errors."""

from __future__ import annotations

import json

import pytest
from tests.engine import sample_plugin
from tests.engine.conftest import RunOnly, by_key

from soc2checks import Finding, Status


def test_statuses_from_return_assert_skip(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.user.mfa"])
    f = by_key(r)
    assert f[("sample.user.mfa", "user:111-alice")].status is Status.PASS
    bob = f[("sample.user.mfa", "user:111-bob")]
    assert bob.status is Status.FAIL
    assert bob.message == "111-bob has no MFA"
    assert bob.severity.value == "high"
    assert bob.remediation == "Enable MFA."
    assert bob.criteria == ("CC6.1",)
    assert bob.control_id == "sample-mfa"
    assert bob.provider == "sample"
    assert bob.resource_type == "Sample::User"
    assert bob.scope == {"account": "111"}
    svc = f[("sample.user.mfa", "user:111-svc")]
    assert svc.status is Status.SKIP and svc.message == "no console access"


def test_fixture_failure_is_one_error_per_scope_never_a_pass(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.user.mfa"])
    errors = [f for f in r.findings if f.status is Status.ERROR]
    assert len(errors) == 1
    e = errors[0]
    assert e.scope == {"account": "denied"}
    assert "could not fetch 'sample_users'" in e.message
    assert "AccessDenied: iam:ListUsers" in e.message
    assert r.summary.error == 1 and r.summary.pass_ == 2 and r.summary.fail == 2


def test_fixture_fetched_once_per_scope_even_when_many_checks_read_it(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.user.*", "sample.account.*"], jobs=16)
    assert r.summary.total > 0
    assert sample_plugin.CALLS.counts == {"users:111": 1, "users:222": 1, "users:denied": 1}


def test_nested_scope_fanout_and_parent_failure(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.volume.encrypted"])
    scopes = sorted({tuple(sorted(f.scope.items())) for f in r.findings})
    assert (("account", "111"), ("region", "r1")) in scopes
    assert (("account", "222"), ("region", "r2")) in scopes
    denied = [f for f in r.findings if f.scope.get("account") == "denied"]
    assert len(denied) == 1 and denied[0].status is Status.ERROR
    assert "ec2:DescribeRegions" in denied[0].message
    assert denied[0].scope == {"account": "denied"}
    ok = [f for f in r.findings if f.status is not Status.ERROR]
    assert len(ok) == 8  # 2 accounts x 2 regions x 2 volumes
    assert sample_plugin.CALLS.counts["volumes:111/r1"] == 1


def test_scope_check_judges_scope_resource(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.account.user-count"])
    f = by_key(r)
    assert f[("sample.account.user-count", "acct:111")].status is Status.PASS
    assert f[("sample.account.user-count", "acct:denied")].status is Status.ERROR


def test_evidence_records_what_the_check_read(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.user.mfa"])
    bob = by_key(r)[("sample.user.mfa", "user:111-bob")]
    assert bob.evidence == {"console": True, "mfa": False, "name": "111-bob"}
    svc = by_key(r)[("sample.user.mfa", "user:111-svc")]
    assert svc.evidence == {"console": False}


def test_declared_evidence(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.region.volumes-exist"])
    passing = [f for f in r.findings if f.status is Status.PASS]
    assert passing and all(f.evidence == {} for f in passing)


def test_generator_check_keeps_yielded_findings_and_reports_the_error(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.user.generator"])
    bob = [f for f in r.findings if f.resource_id == "user:111-bob"]
    assert sorted(f.status.value for f in bob) == ["error", "pass"]
    err = next(f for f in bob if f.status is Status.ERROR)
    assert err.message == "RuntimeError: boom after one finding"
    assert all(f.check_id == "sample.user.generator" and f.criteria == ("A1.2",) for f in bob)


def test_check_that_raises_is_an_error_with_type_and_text(run_only: RunOnly) -> None:
    import types

    from soc2checks import control

    mod = types.ModuleType("exploding")
    ctl = control("exploding-control", criteria=["CC7.2"])

    @ctl.check("exploding.user.kaboom", over="sample_users")
    def kaboom(user: object) -> None:
        raise KeyError("missing-field")

    mod.kaboom = kaboom  # type: ignore[attr-defined]
    r = run_only(sample_plugin, mod, checks=["exploding.*"])
    statuses = {f.status for f in r.findings}
    assert statuses == {Status.ERROR}
    assert any(f.message == "KeyError: 'missing-field'" for f in r.findings)
    assert r.summary.pass_ == 0


def test_resource_without_id_is_an_error(run_only: RunOnly) -> None:
    import types

    from soc2checks import control, resource

    mod = types.ModuleType("noid")

    @resource("noid_things", scope="run")
    def things() -> list[object]:
        return [object()]

    ctl = control("noid-control", criteria=["CC7.2"])

    @ctl.check("noid.thing.ok", over="noid_things")
    def ok(thing: object) -> None:
        pass

    mod.things, mod.ok = things, ok  # type: ignore[attr-defined]
    r = run_only(mod)
    assert [f.status for f in r.findings] == [Status.ERROR]
    assert "without a resource_id" in r.findings[0].message
    assert r.findings[0].scope == {}


def test_findings_sorted_and_deterministic(run_only: RunOnly) -> None:
    a = run_only(jobs=1)
    b = run_only(jobs=16)
    dump = lambda r: json.dumps([f.model_dump(mode="json") for f in r.findings], sort_keys=True)  # noqa: E731
    assert dump(a) == dump(b)
    keys = [Finding.sort_key(f) for f in a.findings]
    assert keys == sorted(keys)


def test_run_info(run_only: RunOnly) -> None:
    r = run_only()
    assert r.run.tool_version
    assert r.run.config_digest.startswith("sha256:")
    assert r.run.finished_at >= r.run.started_at
    assert {p.name for p in r.run.plugins} == {"sample_plugin"}


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"checks": ["sample.user.*"]}, {"sample.user.mfa", "sample.user.generator"}),
        ({"checks": ["sample.*mfa"]}, {"sample.user.mfa"}),
        ({"controls": ["sample-encryption"]}, {"sample.volume.encrypted"}),
        ({"criteria": ["C1.1"]}, {"sample.volume.encrypted"}),
        ({"criteria": ["A1.*"]}, {"sample.region.volumes-exist", "sample.user.generator"}),
        (
            {"categories": ["availability"]},
            {"sample.region.volumes-exist", "sample.user.generator"},
        ),
        ({"providers": ["sample"], "checks": ["sample.volume.*"]}, {"sample.volume.encrypted"}),
    ],
)
def test_selection(run_only: RunOnly, selection: dict[str, list[str]], expected: set[str]) -> None:
    r = run_only(**selection)
    assert {f.check_id for f in r.findings} == expected


def test_checks_that_judge_nothing_are_named_as_idle(run_only: RunOnly) -> None:
    import types

    from soc2checks import control, resource

    mod = types.ModuleType("empty")

    @resource("empty_things", scope="run", provider="emptyprov")
    def things() -> list[object]:
        return []

    ctl = control("empty-control", criteria=["CC7.2"])

    @ctl.check("empty.thing.ok", over="empty_things")
    def ok(thing: object) -> None:
        pass

    mod.things, mod.ok = things, ok  # type: ignore[attr-defined]
    r = run_only(mod)
    assert r.findings == []
    assert [(i.check_id, i.provider, i.reason) for i in r.idle_checks] == [
        ("empty.thing.ok", "emptyprov", "no-resources")
    ]
    assert r.idle_checks[0].message == "'empty_things' returned no resources (in the run)"


def test_work_unit_serialises_and_runs_like_the_scheduler() -> None:
    from soc2checks._config import Config
    from soc2checks._engine import Executor, WorkUnit
    from soc2checks._plugins import build_registry, wrap_extra

    registry = build_registry(wrap_extra([sample_plugin]))
    ex = Executor(registry, Config())
    account = sample_plugin.Account(id="111")
    unit = WorkUnit(
        scope=account.scope_key,
        assignment=[("sample_account", account)],
        checks=["sample.user.mfa", "sample.account.user-count"],
    )
    again = WorkUnit.model_validate_json(unit.model_dump_json())
    assert again.scope == {"account": "111"} and again.checks == unit.checks
    assert again.assignment[0][1] == {"id": "111"}  # scope values travel as JSON
    findings = ex.run_unit(again)  # the unit a worker receives, not the original
    assert {f.check_id for f in findings} == set(unit.checks)
    assert all(f.scope == {"account": "111"} for f in findings)
    direct = ex.judge(registry.checks["sample.user.mfa"], (("sample_account", account),))
    assert [f.model_dump() for f in direct] == [
        f.model_dump() for f in findings if f.check_id == "sample.user.mfa"
    ]


def test_run_facts_fixture_lands_sorted_in_run_info_and_json(run_only: RunOnly) -> None:
    import types

    from soc2checks import control, resource, scope
    from soc2checks.reporters.json import run_to_dict

    mod = types.ModuleType("facts_plugin")

    class Proj:
        def __init__(self, pid: str) -> None:
            self.pid = pid
            self.resource_id = f"proj:{pid}"
            self.scope_key = {"project": pid}

    @scope("fx_project", level="project", provider="fx")
    def fx_project(run_facts: object) -> list[Proj]:
        ids = ["p2", "p1"]
        run_facts.record("fx", "projects", sorted(ids))  # type: ignore[attr-defined]
        run_facts.record("fx", "endpoint", "http://127.0.0.1:1")  # type: ignore[attr-defined]
        return [Proj(i) for i in ids]

    @resource("fx_things", scope="project", provider="fx")
    def fx_things(fx_project: Proj) -> list[Proj]:
        return [fx_project]

    c = control("fx-control", criteria=["CC6.1"])

    @c.check("fx.thing.ok", over="fx_things")
    def ok(thing: Proj) -> None:
        assert thing.pid

    mod.__dict__.update(fx_project=fx_project, fx_things=fx_things, c=c, ok=ok)
    r = run_only(mod)
    assert r.summary.pass_ == 2
    assert r.run.facts == {"fx": {"endpoint": "http://127.0.0.1:1", "projects": ["p1", "p2"]}}
    assert list(r.run.facts["fx"]) == ["endpoint", "projects"]
    assert run_to_dict(r.run)["facts"] == r.run.facts
