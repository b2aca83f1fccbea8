"""Durations in config: ISO 8601 (``P1D``, ``PT36H``, ``P1W``) or short forms (``36h``, ``7d``)."""

from __future__ import annotations

import datetime as dt
import re

_SHORT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$", re.IGNORECASE)
_ISO = re.compile(
    r"^P(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> dt.timedelta:
    """``"36h"``, ``"7d"``, ``"P1D"``, ``"PT36H"`` as a timedelta; ValueError otherwise.

    Years and months are refused: their length varies, and an SLA must not.
    """
    m = _SHORT.match(text)
    if m:
        value = dt.timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2).lower()])
    else:
        iso = _ISO.match(text.strip())
        if not iso or not any(iso.groupdict().values()) or text.strip().upper().endswith("T"):
            raise ValueError(
                f"{text!r} is not a duration (use '36h', '7d', '2w' or ISO 8601 'P1D', 'PT36H')"
            )
        parts = {k: float(v) for k, v in iso.groupdict().items() if v}
        value = dt.timedelta(
            weeks=parts.get("w", 0),
            days=parts.get("d", 0),
            hours=parts.get("h", 0),
            minutes=parts.get("m", 0),
            seconds=parts.get("s", 0),
        )
    if value <= dt.timedelta(0):
        raise ValueError(f"{text!r}: a duration must be positive")
    return value
