"""Frameworks as data: the requirements a framework lists, and which controls evidence each.

The AICPA Trust Services Criteria (2017, points of focus revised 2022) are built in:
every control names its criteria. Other frameworks come from plugins through the
``soc2checks_register_frameworks`` hook as :class:`Framework` objects: requirement IDs
with short titles, and a mapping from control IDs to requirement IDs. The first-party
control pack registers **ISO/IEC 27001:2022 Annex A** (93 controls, IDs and short titles
only, loaded with :func:`iso27001_annex_a`) with a mapping of every first-party
control. Several plugins may register the same framework (the same ID and the same
requirements): their mappings are merged, so a company can map its own controls to
Annex A too::

    from soc2checks import hookimpl
    from soc2checks.frameworks import iso27001_annex_a

    @hookimpl
    def soc2checks_register_frameworks():
        return [iso27001_annex_a(mapping={"laptop-disk-encryption": ("8.1", "8.24")})]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Framework", "Requirement", "iso27001_annex_a", "tsc_framework"]

TSC = "tsc2017"


@dataclass(frozen=True)
class Requirement:
    """One requirement of a framework: an ID, its group (category, theme) and a title."""

    id: str
    category: str
    title: str


@dataclass(frozen=True)
class Framework:
    """A framework's requirements and the controls mapped to them."""

    id: str
    """How ``--framework`` names it: ``iso27001``."""
    title: str
    requirements: tuple[Requirement, ...]
    mapping: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Control ID -> the requirement IDs it evidences."""

    def requirement_ids(self) -> list[str]:
        return [r.id for r in self.requirements]

    def dangling(self) -> list[str]:
        """``control -> ID`` pairs of the mapping naming no requirement of the framework."""
        known = set(self.requirement_ids())
        return sorted(
            f"{control} -> {rid}"
            for control, ids in self.mapping.items()
            for rid in ids
            if rid not in known
        )

    def ids_of(self, control_id: str) -> tuple[str, ...]:
        return tuple(self.mapping.get(control_id, ()))


@lru_cache(maxsize=1)
def _annex_a() -> tuple[str, tuple[Requirement, ...]]:
    text = resources.files("soc2checks").joinpath("iso27001-2022.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return str(data["framework"]), tuple(Requirement(**r) for r in data["requirements"])


def iso27001_annex_a(mapping: Mapping[str, Iterable[str]] | None = None) -> Framework:
    """ISO/IEC 27001:2022 Annex A (93 controls) with ``mapping`` (control -> IDs)."""
    title, requirements = _annex_a()
    return Framework(
        id="iso27001",
        title=title,
        requirements=requirements,
        mapping={k: tuple(v) for k, v in (mapping or {}).items()},
    )


def tsc_framework(controls: Mapping[str, Any]) -> Framework:
    """The Trust Services Criteria, mapped from each control's own ``criteria``."""
    from soc2checks._catalog import criteria

    return Framework(
        id=TSC,
        title="AICPA Trust Services Criteria (2017, points of focus revised 2022)",
        requirements=tuple(Requirement(c.id, c.category, c.title) for c in criteria().values()),
        mapping={cid: tuple(ctl.criteria) for cid, ctl in controls.items()},
    )
