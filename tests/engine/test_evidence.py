"""Evidence holds the judged value; a field the API did not return is never judged."""

from __future__ import annotations

import contextlib
import types
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, Field
from tests.engine.conftest import RunOnly, by_key

from soc2checks import Status, control, resource, skip


class Thing(BaseModel):
    """A resource whose checks read fields through a property and a method."""

    missing_source: ClassVar[str] = "ThingAPI"

    name: str
    size: int = 0
    tier: str = "basic"
    flag: bool = False
    missing_fields: dict[str, str] = Field(default_factory=dict)

    @property
    def resource_id(self) -> str:
        return f"thing:{self.name}"

    @property
    def big(self) -> bool:
        return self.size > 10

    def field(self, key: str) -> object:
        if key not in type(self).model_fields:  # class-level lookups still work
            raise KeyError(key)
        return getattr(self, key)


def _module(things: list[Thing], **checks: Any) -> types.ModuleType:
    mod = types.ModuleType("things_plugin")

    @resource("things", scope="run", resource_type="Thing")
    def fetch() -> list[Thing]:
        return things

    mod.fetch = fetch  # type: ignore[attr-defined]
    ctl = control("thing-control", criteria=["CC6.1"])
    for name, (func, kw) in checks.items():
        setattr(mod, name.replace(".", "_"), ctl.check(name, over="things", **kw)(func))
    return mod


def _small(thing: Thing) -> None:
    assert not thing.big, f"{thing.name} is big"


def _premium(thing: Thing) -> None:
    assert thing.field("tier") == "premium", f"{thing.name} is not premium"


def test_values_read_inside_a_property_are_evidence(run_only: RunOnly) -> None:
    mod = _module([Thing(name="a", size=50)], **{"t.small": (_small, {})})
    f = by_key(run_only(mod))[("t.small", "thing:a")]
    assert f.status is Status.FAIL
    assert f.evidence == {"big": True, "name": "a", "size": 50}


def test_values_read_inside_a_method_are_evidence(run_only: RunOnly) -> None:
    mod = _module([Thing(name="a", tier="gold")], **{"t.premium": (_premium, {})})
    f = by_key(run_only(mod))[("t.premium", "thing:a")]
    assert f.status is Status.FAIL
    assert f.evidence == {"name": "a", "tier": "gold"}


def _flag_off(thing: Thing) -> None:
    assert not thing.flag, "flag is on"


def _swallows(thing: Thing) -> None:
    try:
        on = thing.flag
    except Exception:
        on = False
    assert not on


def _skips(thing: Thing) -> None:
    if not thing.flag:
        skip("flag is off")


def _reads_other(thing: Thing) -> None:
    assert thing.size == 0


MISSING = Thing(name="m", missing_fields={"flag": "Flag", "size": "Size"})


@pytest.mark.parametrize(
    ("func", "evidence"),
    [
        (_flag_off, None),  # would pass on the default
        (_swallows, None),  # catching the exception does not help
        (_skips, None),  # nor does a skip
        (_premium, ("tier",)),  # declared evidence naming a missing field
    ],
)
def test_reading_a_missing_field_is_an_error(
    run_only: RunOnly, func: Any, evidence: tuple[str, ...] | None
) -> None:
    thing = MISSING
    if evidence:
        thing = Thing(name="m", missing_fields={"tier": "Tier"})
    kw = {"evidence": list(evidence)} if evidence else {}
    mod = _module([thing, Thing(name="ok", tier="premium")], **{"t.check": (func, kw)})
    found = by_key(run_only(mod))
    f = found[("t.check", "thing:m")]
    assert f.status is Status.ERROR
    field = "Tier" if evidence else "Flag"
    assert f.message == f"ThingAPI did not return {field} for thing:m: cannot judge"
    assert f.evidence["missing_fields"] == [field]
    assert found[("t.check", "thing:ok")].status is not Status.ERROR


def test_a_missing_field_the_check_does_not_read_does_not_matter(run_only: RunOnly) -> None:
    thing = Thing(name="m", missing_fields={"flag": "Flag"})
    mod = _module([thing], **{"t.check": (_reads_other, {})})
    f = by_key(run_only(mod))[("t.check", "thing:m")]
    assert f.status is Status.PASS and f.evidence == {"size": 0}


def test_missing_field_in_a_generator_check_is_an_error(run_only: RunOnly) -> None:
    from soc2checks import Finding

    def gen(thing: Thing) -> Any:
        with contextlib.suppress(LookupError):
            _ = thing.flag
        yield Finding(status=Status.PASS, message="fine")

    mod = _module([MISSING], **{"t.gen": (gen, {})})
    statuses = sorted(f.status.value for f in run_only(mod).findings)
    assert "error" in statuses
