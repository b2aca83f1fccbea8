"""Recording views: the evidence of a finding is what its check actually read."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of ``value`` (models dumped, dates as ISO, sets sorted)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    try:
        return to_jsonable_python(value, fallback=str)
    except Exception:
        return str(value)


class RecordingView:
    """Wraps a resource; remembers each attribute a check reads.

    ``isinstance`` sees the wrapped class, so checks that test types still work.
    """

    __slots__ = ("_read", "_target")

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_read", {})

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name[0] != "_" and not callable(value):
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


def recorded(view: RecordingView) -> dict[str, Any]:
    read: dict[str, Any] = object.__getattribute__(view, "_read")
    return {k: jsonable(v) for k, v in sorted(read.items())}


def declared(target: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields:
        try:
            out[f] = jsonable(getattr(target, f))
        except AttributeError:
            out[f] = None
    return out
