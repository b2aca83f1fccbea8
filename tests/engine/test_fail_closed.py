"""Fail closed: every outcome of a check or fixture is a finding, a pass means judged."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from tests.engine.conftest import RunOnly

from soc2checks import Finding, PluginError, Status, control, fail, resource, scope
from soc2checks.cli import main


class Thing(BaseModel):
    resource_id: str


class CustomBase(BaseException):
    """Neither an Exception nor an interrupt."""


def _module(name: str, **members: Any) -> types.ModuleType:
    mod = types.ModuleType(name)
    mod.__dict__.update(members)
    return mod


def _one_check(body: Any, *, cid: str = "t.thing.judged", items: int = 1) -> types.ModuleType:
    @resource("t_things", scope="run", provider="t")
    def things() -> list[Thing]:
        return [Thing(resource_id=f"thing-{i}") for i in range(items)]

    ctl = control("t-control", criteria=["CC6.1"])
    check = ctl.check(cid, over="t_things")(body)
    return _module("t_plugin", things=things, ctl=ctl, check=check)


# ---- assertions disabled -------------------------------------------------------------
LOCAL_PLUGIN = textwrap.dedent(
    '''
    """A team's own check."""
    from pydantic import BaseModel
    from soc2checks import control, resource

    class Laptop(BaseModel):
        resource_id: str
        encrypted: bool

    @resource("laptops", scope="run")
    def laptops():
        return [Laptop(resource_id="mac-1", encrypted=False)]

    disk = control("laptop-disk", criteria=["CC6.1"])

    @disk.check("acme.laptop.encrypted", over="laptops")
    def encrypted(laptop):
        assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"
    '''
)


def _project(tmp_path: Path, plugin: str = LOCAL_PLUGIN) -> Path:
    (tmp_path / "checks.py").write_text(plugin, encoding="utf-8")
    (tmp_path / "soc2checks.toml").write_text(
        'plugins = ["checks.py"]\nproviders = ["checks"]\n', encoding="utf-8"
    )
    return tmp_path


def _cli(
    tmp_path: Path, *args: str, flags: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "PYTHONOPTIMIZE"}
    return subprocess.run(
        [sys.executable, *flags, "-m", "soc2checks.cli", *args],
        cwd=tmp_path,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("flags", "env"),
    [(("-O",), {}), ((), {"PYTHONOPTIMIZE": "1"})],
    ids=["-O", "PYTHONOPTIMIZE"],
)
def test_cli_refuses_to_judge_when_assertions_are_disabled(
    tmp_path: Path, flags: tuple[str, ...], env: dict[str, str]
) -> None:
    _project(tmp_path)
    normal = _cli(tmp_path, "run", "--no-progress")
    assert normal.returncode == 1, normal.stderr  # the laptop fails
    r = _cli(tmp_path, "run", "--no-progress", flags=flags, env=env)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "assertions are disabled" in lines[0], r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_api_raises_usage_error_when_assertions_are_disabled(tmp_path: Path) -> None:
    _project(tmp_path)
    code = textwrap.dedent(
        """
        import soc2checks
        try:
            soc2checks.run(config="soc2checks.toml")
        except soc2checks.UsageError as exc:
            print("usage:", exc)
        else:
            print("ran")
        """
    )
    r = subprocess.run(
        [sys.executable, "-O", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("usage: assertions are disabled"), r.stdout


def test_fail_fails_without_assert(run_only: RunOnly) -> None:
    def judged(thing: Thing) -> None:
        fail(f"{thing.resource_id} is bad")

    r = run_only(_one_check(judged))
    (f,) = r.findings
    assert f.status is Status.FAIL and f.message == "thing-0 is bad"


# ---- every outcome is a finding ---------------------------------------------------------
HANG_SCRIPT = textwrap.dedent(
    """
    import time, sys
    from pydantic import BaseModel
    from soc2checks import control, resource
    from soc2checks._config import Config
    from soc2checks._engine import prepare, run_checks
    from soc2checks._plugins import build_registry, wrap_extra

    class Custom(BaseException):
        pass

    RAISE = {"exit": SystemExit(3), "genexit": GeneratorExit("closed"), "custom": Custom("odd")}

    class Thing(BaseModel):
        resource_id: str

    @resource("slow_things", scope="run", provider="t")
    def slow_things():
        time.sleep(0.3)  # the other checks wait on the same fixture meanwhile
        raise RAISE[sys.argv[1]]

    ctl = control("t-control", criteria=["CC6.1"])

    def make(i):
        @ctl.check(f"t.thing.c{i}", over="slow_things")
        def c(thing):
            pass
        return c

    import types
    mod = types.ModuleType("hang_plugin")
    mod.__dict__.update({f"c{i}": make(i) for i in range(4)}, slow_things=slow_things, ctl=ctl)
    reg = build_registry(wrap_extra([mod]))
    r = run_checks(prepared=prepare(config=Config(), registry=reg), jobs=4)
    for f in r.findings:
        print(f.check_id, f.status.value, f.message)
    """
)


@pytest.mark.parametrize("kind", ["exit", "genexit", "custom"])
def test_fixture_raising_a_base_exception_is_an_error_not_a_hang(tmp_path: Path, kind: str) -> None:
    script = tmp_path / "hang.py"
    script.write_text(HANG_SCRIPT, encoding="utf-8")
    try:
        r = subprocess.run(
            [sys.executable, str(script), kind],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the run hung when a fixture raised {kind}")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 4, r.stdout
    name = {"exit": "SystemExit: 3", "genexit": "GeneratorExit: closed", "custom": "Custom: odd"}
    for line in lines:
        assert f" error could not fetch 'slow_things': {name[kind]}" in line, line


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (SystemExit(0), "SystemExit: 0"),
        (GeneratorExit("g"), "GeneratorExit: g"),
        (CustomBase("odd"), "CustomBase: odd"),
    ],
)
def test_check_raising_a_base_exception_is_an_error(
    run_only: RunOnly, raised: BaseException, message: str
) -> None:
    def judged(thing: Thing) -> None:
        raise raised

    r = run_only(_one_check(judged))
    (f,) = r.findings
    assert f.status is Status.ERROR and f.message == message


def test_generator_check_raising_system_exit_keeps_its_findings(run_only: RunOnly) -> None:
    def judged(thing: Thing):  # type: ignore[no-untyped-def]
        yield Finding(status=Status.PASS, message="first")
        raise SystemExit(0)

    r = run_only(_one_check(judged))
    assert sorted((f.status.value, f.message) for f in r.findings) == [
        ("error", "SystemExit: 0"),
        ("pass", "first"),
    ]


SYSEXIT_PLUGIN = LOCAL_PLUGIN.replace(
    'assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"',
    "raise SystemExit(0)",
)


def test_cli_reports_a_check_raising_system_exit_and_exits_by_the_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, SYSEXIT_PLUGIN)
    monkeypatch.chdir(tmp_path)
    code = main(["run", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 3  # an error finding: could not judge
    assert "ERROR" in out and "SystemExit: 0" in out and "mac-1" in out


def test_pytest_outcomes_map_to_skip_and_fail(run_only: RunOnly) -> None:
    def skipped(thing: Thing) -> None:
        pytest.skip("not here")

    def failed(thing: Thing) -> None:
        pytest.fail("broken")

    def xfailed(thing: Thing) -> None:
        pytest.xfail("known issue")

    def missing(thing: Thing) -> None:
        pytest.importorskip("soc2checks_no_such_module")

    ctl = control("t-control", criteria=["CC6.1"])

    @resource("t_things", scope="run", provider="t")
    def things() -> list[Thing]:
        return [Thing(resource_id="x")]

    mod = _module(
        "pytest_outcomes",
        things=things,
        ctl=ctl,
        a=ctl.check("t.x.skip", over="t_things")(skipped),
        b=ctl.check("t.x.fail", over="t_things")(failed),
        c=ctl.check("t.x.xfail", over="t_things")(xfailed),
        d=ctl.check("t.x.importorskip", over="t_things")(missing),
    )
    r = run_only(mod)
    got = {f.check_id: (f.status.value, f.message) for f in r.findings}
    assert got["t.x.skip"] == ("skip", "not here")
    assert got["t.x.fail"] == ("fail", "broken")
    assert got["t.x.xfail"] == ("skip", "xfail: known issue")
    assert got["t.x.importorskip"][0] == "skip"
    assert "soc2checks_no_such_module" in got["t.x.importorskip"][1]


def test_the_engine_does_not_import_pytest() -> None:
    code = (
        "import sys, soc2checks, soc2checks._engine, soc2checks._outcomes, soc2checks.cli;"
        "print(sorted(m for m in ('pytest', '_pytest') if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr


def test_keyboard_interrupt_cancels_pending_work(run_only: RunOnly) -> None:
    import time

    calls: list[str] = []
    lock = threading.Lock()

    class Acct(BaseModel):
        n: int

        @property
        def scope_key(self) -> dict[str, str]:
            return {"account": str(self.n)}

        @property
        def resource_id(self) -> str:
            return f"acct:{self.n}"

    @scope("k_account", level="account", provider="k")
    def k_account() -> list[Acct]:
        return [Acct(n=i) for i in range(100)]

    ctl = control("k-control", criteria=["CC6.1"])

    @ctl.check("k.account.judged")
    def judged(k_account: Acct) -> None:
        with lock:
            calls.append(k_account.resource_id)
            first = len(calls) == 1
        if first:
            raise KeyboardInterrupt
        time.sleep(0.02)

    mod = _module("k_plugin", k_account=k_account, ctl=ctl, judged=judged)
    with pytest.raises(KeyboardInterrupt):
        run_only(mod, jobs=1)
    time.sleep(0.2)
    assert len(calls) < 50, f"{len(calls)} of 100 scopes judged after the interrupt"


INTERRUPT_PLUGIN = LOCAL_PLUGIN.replace(
    'assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"',
    "raise KeyboardInterrupt",
)


def test_cli_exits_130_without_a_traceback_on_keyboard_interrupt(tmp_path: Path) -> None:
    _project(tmp_path, INTERRUPT_PLUGIN)
    r = _cli(tmp_path, "run", "--no-progress")
    assert r.returncode == 130, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.strip() == "soc2checks: interrupted"


# ---- checks return nothing -----------------------------------------------------------------
@pytest.mark.parametrize("value", [False, "looks fine", 0, [], True])
def test_a_check_returning_a_value_is_an_error(run_only: RunOnly, value: object) -> None:
    def judged(thing: Thing) -> object:
        return value

    r = run_only(_one_check(judged))
    (f,) = r.findings
    assert f.status is Status.ERROR
    assert f.message == (
        f"check returned {type(value).__name__} {value!r}; "
        "checks return nothing: use assert or fail"
    )


# ---- findings are immutable, status required ------------------------------------------------
def test_finding_needs_a_status_and_is_immutable() -> None:
    with pytest.raises(ValidationError, match="status"):
        Finding()  # type: ignore[call-arg]
    f = Finding(status=Status.FAIL, criteria=["CC6.1"])  # type: ignore[arg-type]
    assert f.criteria == ("CC6.1",)
    with pytest.raises(ValidationError, match="frozen"):
        f.status = Status.PASS  # type: ignore[misc]
    waived = f.model_copy(update={"status": Status.WAIVED})
    assert f.status is Status.FAIL and waived.status is Status.WAIVED


def test_engine_findings_are_frozen_and_share_no_list(run_only: RunOnly) -> None:
    r = run_only(checks=["sample.user.mfa"])
    a, b = r.findings[0], r.findings[1]
    with pytest.raises(ValidationError):
        a.status = Status.PASS  # type: ignore[misc]
    assert isinstance(a.criteria, tuple) and isinstance(b.criteria, tuple)


def test_a_failing_finding_hook_is_a_one_line_error_naming_the_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path)
    (tmp_path / "observer.py").write_text(
        textwrap.dedent(
            """
            from soc2checks import hookimpl

            @hookimpl
            def soc2checks_finding(finding):
                raise RuntimeError("observer is down")
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "soc2checks.toml").write_text(
        'plugins = ["checks.py", "observer.py"]\nproviders = ["checks"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code = main(["run", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        "soc2checks: error: plugin 'observer': hook soc2checks_finding raised "
        "RuntimeError: observer is down"
    ]


def test_a_failing_finding_hook_raises_plugin_error_from_the_api(run_only: RunOnly) -> None:
    from soc2checks import hookimpl

    class Observer:
        __name__ = "observer"

        @hookimpl
        def soc2checks_finding(self, finding: Finding) -> None:
            raise ValueError("nope")

    def judged(thing: Thing) -> None:
        pass

    with pytest.raises(PluginError, match="plugin 'observer': hook soc2checks_finding raised"):
        run_only(_one_check(judged, items=50), Observer())


# ---- duplicate reporters --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["json", "sarif"])
def test_a_plugin_cannot_replace_a_builtin_reporter(name: str) -> None:
    from soc2checks import hookimpl
    from soc2checks._plugins import build_registry, discover_entry_points, wrap_extra

    class Impostor:
        __name__ = "impostor"

        @hookimpl
        def soc2checks_register_reporters(self) -> dict[str, Any]:
            return {name: lambda result, config=None, **kw: "all green\n"}

    with pytest.raises(PluginError) as info:
        build_registry([*discover_entry_points(), *wrap_extra([Impostor()])])
    msg = str(info.value)
    assert f"reporter '{name}' is already registered by plugin" in msg and "impostor" in msg
    assert "\n" not in msg


SLOW_PLUGIN = textwrap.dedent(
    '''
    """Many slow scopes, to interrupt."""
    import pathlib, time
    from pydantic import BaseModel
    from soc2checks import control, scope

    class Acct(BaseModel):
        n: int

        @property
        def scope_key(self):
            return {"account": str(self.n)}

        @property
        def resource_id(self):
            return f"acct:{self.n}"

    @scope("accts", level="account")
    def accts():
        pathlib.Path("started").write_text("yes")
        return [Acct(n=i) for i in range(400)]

    slow = control("slow", criteria=["CC6.1"])

    @slow.check("slow.account.judged")
    def judged(accts):
        time.sleep(0.3)
    '''
)


def test_ctrl_c_cancels_pending_work_and_exits_130_quickly(tmp_path: Path) -> None:
    import signal
    import time

    _project(tmp_path, SLOW_PLUGIN)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONOPTIMIZE"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "soc2checks.cli", "run", "--no-progress", "-j", "16"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell may start children with SIGINT ignored; Ctrl-C must reach this one
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert err.strip() == "soc2checks: interrupted" and out == ""
    # 400 scopes x 0.3 s / 16 workers is 7.5 s of work: the queued part is cancelled
    assert took < 4, f"exit took {took:.1f} s after Ctrl-C"
