"""Plugin loading and load-time validation: broken plugins name themselves."""

from __future__ import annotations

import types
from collections.abc import Callable

import pytest
from tests.engine import sample_plugin

from soc2checks import PluginError, Provider, control, hookimpl, resource
from soc2checks._plugins import build_registry, wrap_extra


def module(name: str, **members: object) -> types.ModuleType:
    mod = types.ModuleType(name)
    for k, v in members.items():
        setattr(mod, k, v)
    return mod


def load(*mods: object) -> None:
    build_registry(wrap_extra(mods))


def test_unknown_fixture_names_check_parameter_and_choices() -> None:
    ctl = control("typo-control", criteria=["CC6.1"])

    @ctl.check("typo.user.mfa", over="sample_user")
    def f(user: object) -> None: ...

    with pytest.raises(PluginError) as ei:
        load(sample_plugin, module("typo", f=f))
    msg = str(ei.value)
    assert "plugin 'typo'" in msg and "check 'typo.user.mfa'" in msg and "over='sample_user'" in msg
    assert "did you mean 'sample_users'" in msg and "available:" in msg


def test_unknown_parameter_fixture() -> None:
    ctl = control("typo2-control", criteria=["CC6.1"])

    @ctl.check("typo.account.thing")
    def g(sample_userz: object) -> None: ...

    with pytest.raises(PluginError, match="check 'typo.account.thing' parameter 'sample_userz'"):
        load(sample_plugin, module("typo2", g=g))


def test_fixture_cycle_is_reported() -> None:
    @resource("cyc_a")
    def a(cyc_b: object) -> object: ...

    @resource("cyc_b")
    def b(cyc_a: object) -> object: ...

    with pytest.raises(PluginError, match="fixture dependency cycle: cyc_a -> cyc_b -> cyc_a"):
        load(module("cyc", a=a, b=b))


def test_duplicate_check_id() -> None:
    ctl = control("dup-control", criteria=["CC6.1"])

    def make() -> Callable[..., None]:
        @ctl.check("dup.thing.same")
        def f(config: object) -> None: ...

        return f

    with pytest.raises(
        PluginError,
        match=r"check 'dup.thing.same' is defined by both plugin 'one' \(.*\) and plugin 'two'",
    ):
        load(module("one", f=make()), module("two", f=make()))


def test_unknown_criterion_and_unknown_control() -> None:
    bad = control("bad-criteria", criteria=["CC6.10"])
    with pytest.raises(PluginError, match="unknown criterion 'CC6.10'"):
        load(module("badcrit", bad=bad))

    from soc2checks import check

    @check("orphan.thing.x", control="no-such-control")
    def orphan(config: object) -> None: ...

    with pytest.raises(PluginError, match="names unknown control 'no-such-control'"):
        load(module("orphan", orphan=orphan))


def test_declared_scope_must_match_dependencies() -> None:
    @resource("scoped_wrong", scope="region")
    def f(sample_account: object) -> list[object]:
        return []

    with pytest.raises(
        PluginError, match="declares scope 'region' but takes no fixture of that scope"
    ):
        load(sample_plugin, module("wrong", f=f))


def test_hook_that_raises_names_the_plugin() -> None:
    class Broken:
        __name__ = "brokenpack"

        @hookimpl
        def soc2checks_register_controls(self) -> list[object]:
            raise ImportError("No module named 'yaml2'")

    with pytest.raises(
        PluginError, match=r"plugin 'brokenpack'.*soc2checks_register_controls raised ImportError"
    ):
        load(Broken())


def test_unknown_hook_is_rejected() -> None:
    class Typo:
        __name__ = "typohook"

        @hookimpl
        def soc2checks_register_control(self) -> list[object]:
            return []

    with pytest.raises(PluginError, match="typohook"):
        load(Typo())


def test_provider_must_be_a_provider() -> None:
    class P:
        __name__ = "prov"

        @hookimpl
        def soc2checks_register_providers(self) -> list[object]:
            return ["aws"]

    with pytest.raises(PluginError, match="expected soc2checks.Provider"):
        load(P())


def test_hook_registered_modules_are_collected() -> None:
    class Pack:
        __name__ = "pack"

        @hookimpl
        def soc2checks_register_controls(self) -> list[object]:
            return [sample_plugin]

        @hookimpl
        def soc2checks_register_providers(self) -> list[Provider]:
            return [Provider("sample", title="Sample")]

    reg = build_registry(wrap_extra([Pack()]))
    assert "sample.user.mfa" in reg.checks and "sample" in reg.providers
    assert reg.checks["sample.user.mfa"].provider == "sample"


def test_decorators_return_the_function_unchanged() -> None:
    from tests.engine.sample_plugin import User, user_mfa

    assert user_mfa(User(name="a", mfa=True)) is None
    with pytest.raises(AssertionError, match="b has no MFA"):
        user_mfa(User(name="b", mfa=False))


@pytest.mark.parametrize("bad", ["aws", "AWS.iam.x", "aws..x", "aws.iam x"])
def test_invalid_check_ids(bad: str) -> None:
    with pytest.raises(ValueError, match="not valid"):
        control("x-y", criteria=["CC6.1"]).check(bad)


def test_tunables_on_fixtures_rejected() -> None:
    with pytest.raises(TypeError, match="parameters with defaults are not supported"):

        @resource("with_default")
        def f(limit: int = 3) -> list[object]:
            return []
