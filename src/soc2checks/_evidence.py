"""Recording views: the evidence of a finding is what its check actually read.

A check receives its resource wrapped in a :class:`RecordingView`. The view records
every public attribute the check reads, including the attributes read *inside* the
model's own properties and methods (they run with the view as ``self``), so the
judged value is always in the evidence.

Missing data is never a pass: a provider marks the fields an API did not return
(or returned unparseable) in the model's ``missing_fields`` mapping, attribute name
-> the API's name for it (``{"root_access_keys_present": "AccountAccessKeysPresent"}``).
Reading such an attribute inside a check raises :class:`MissingData`, and whatever the
check then does (even if it catches the exception), the finding is an ``error``:
``"<source> did not return <field> for <resource>: cannot judge"``, where the source
is the model's ``missing_source`` class attribute (else the provider's name).
"""

from __future__ import annotations

import functools
import types
from collections.abc import Mapping
from typing import Any, cast

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

MISSING_FIELDS = "missing_fields"
"""The attribute of a model that names the fields the API did not return."""


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of ``value`` (models dumped, dates as ISO, sets sorted)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, RecordingView):
        value = object.__getattribute__(value, "_target")
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    try:
        return to_jsonable_python(value, fallback=str)
    except Exception:
        return str(value)


class MissingData(LookupError):
    """A check read a field that the provider's API did not return."""


def missing_fields(target: Any) -> Mapping[str, str]:
    """Attribute name -> API field name of what ``target``'s API did not return."""
    model: Any = type(target)
    if not _can_miss(model):
        return {}
    try:
        value = getattr(target, MISSING_FIELDS, None)
    except Exception:
        return {}
    return value if isinstance(value, Mapping) else {}


@functools.lru_cache(maxsize=1024)
def _can_miss(cls: type[object]) -> bool:
    """Whether instances of ``cls`` can name missing fields (a field or attribute)."""
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict) and MISSING_FIELDS in fields:
        return True
    return any(
        MISSING_FIELDS in vars(c) or MISSING_FIELDS in getattr(c, "__slots__", ())
        for c in cls.__mro__
    )


def missing_message(target: Any, fields: list[str], provider: str) -> str:
    """``"AWS did not return X for <resource>: cannot judge"``."""
    source = getattr(type(target), "missing_source", None) or provider or "the provider"
    try:
        rid = getattr(target, "resource_id", None)
    except Exception:
        rid = None
    what = ", ".join(fields)
    return f"{source} did not return {what} for {rid or repr(target)[:80]}: cannot judge"


_PYDANTIC_OWNERS = frozenset({object, BaseModel})


def _kind(cls: type[object], name: str) -> tuple[str, Any]:
    """How ``cls`` defines ``name``: a property, a method of the model, or anything else.

    Properties and methods defined on the model's own classes run with the view as
    ``self``; those of pydantic's ``BaseModel`` and ``object`` run on the target.
    """
    for owner in cls.__mro__:
        if name in owner.__dict__:
            attr = owner.__dict__[name]
            if owner in _PYDANTIC_OWNERS or owner.__module__.startswith("pydantic"):
                return "internal", None
            if isinstance(attr, property) and attr.fget is not None:
                return "property", attr.fget
            if isinstance(attr, functools.cached_property):
                return "property", attr.func
            if isinstance(attr, types.FunctionType):
                return "method", attr
            return "plain", None
    return "plain", None


class _ViewType(type):
    """Metaclass of the views of one model class: class attributes come from the model.

    A model method runs with the view as ``self``; ``type(self).model_fields`` and
    similar class-level lookups then still find the model's.
    """

    def __getattr__(cls, name: str) -> Any:
        model = cls.__dict__.get("_model")
        if model is None:
            raise AttributeError(name)
        return getattr(model, name)


class RecordingView(metaclass=_ViewType):
    """Wraps a resource; remembers each attribute a check reads.

    ``isinstance`` sees the wrapped class, so checks that test types still work.
    """

    __slots__ = ("_missing", "_read", "_target")
    _can_miss: bool = False
    _kinds: dict[str, tuple[str, Any]] = {}  # replaced by one dict per model class

    def __new__(cls, target: Any) -> RecordingView:
        model: Any = type(target)
        sub = _view_type(model) if cls is RecordingView else cls
        return object.__new__(sub)

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_read", {})
        object.__setattr__(self, "_missing", {})

    def __getattr__(self, name: str) -> Any:
        target = self._target
        if name[0] == "_":
            return getattr(target, name)
        if self._can_miss:
            missing = missing_fields(target)
            if name in missing:
                self._missing[name] = missing[name]
                raise MissingData(f"the API did not return {missing[name]}")
        found = self._kinds.get(name)
        if found is None:
            model: Any = type(target)
            found = self._kinds[name] = _kind(model, name)
        kind, func = found
        if kind == "method":
            return types.MethodType(func, self)
        value = func(self) if kind == "property" else getattr(target, name)
        if kind != "internal" and name != MISSING_FIELDS and not callable(value):
            self._read[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("resources are read-only inside a check")

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return type(self._target)

    def __repr__(self) -> str:
        return repr(self._target)

    def __str__(self) -> str:
        return str(self._target)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RecordingView):
            other = object.__getattribute__(other, "_target")
        return bool(self._target == other)

    def __hash__(self) -> int:
        return hash(self._target)

    def __iter__(self) -> Any:
        return iter(self._target)

    def __len__(self) -> int:
        return len(self._target)

    def __getitem__(self, key: Any) -> Any:
        value = self._target[key]
        self._read[str(key)] = value
        return value

    def __contains__(self, item: object) -> bool:
        return item in self._target

    def __bool__(self) -> bool:
        return bool(self._target)


@functools.lru_cache(maxsize=1024)
def _view_type(model: type[object]) -> type[RecordingView]:
    name = f"RecordingView[{model.__name__}]"
    can_miss = _can_miss(cast(Any, model))
    # _kinds: how the model defines each attribute read so far (a per-class cache)
    namespace = {"__slots__": (), "_model": model, "_can_miss": can_miss, "_kinds": {}}
    view: Any = _ViewType(name, (RecordingView,), namespace)
    return cast("type[RecordingView]", view)


def recorded(view: RecordingView) -> dict[str, Any]:
    """The evidence of a check that declared none: every attribute it read."""
    read: dict[str, Any] = object.__getattribute__(view, "_read")
    return {k: jsonable(v) for k, v in sorted(read.items())}


def missing_read(view: RecordingView) -> list[str]:
    """The API names of the missing fields the check tried to read, sorted."""
    missing: dict[str, str] = object.__getattribute__(view, "_missing")
    return sorted(set(missing.values()))


def declared(target: Any, fields: tuple[str, ...]) -> tuple[dict[str, Any], list[str]]:
    """The evidence a check declared, and the API names of those fields that are missing."""
    out: dict[str, Any] = {}
    missing = missing_fields(target)
    absent: list[str] = []
    for f in fields:
        if f in missing:
            out[f] = None
            absent.append(missing[f])
            continue
        try:
            out[f] = jsonable(getattr(target, f))
        except AttributeError:
            out[f] = None
    return out, sorted(set(absent))
