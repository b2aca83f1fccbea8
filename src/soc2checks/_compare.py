"""Compare two runs finding by finding: what broke, what was fixed, what still fails.

:func:`compare` is pure: two :class:`~soc2checks.RunResult` in, a
:class:`Comparison` out, findings matched by their fingerprint (check, provider,
scope, resource). ``soc2checks diff`` prints it; the evidence store compares stored
runs with it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from soc2checks._model import Finding, Status

if TYPE_CHECKING:
    from soc2checks._model import RunResult

#: A finding judged again counts as fixed when it now passes or no longer applies.
_FIXED = (Status.PASS, Status.SKIP)


@dataclass(frozen=True)
class Comparison:
    """Findings of the newer run (or the older one, for what disappeared), by change.

    Each field is a tuple in the documented finding order (check, scope, resource).
    """

    new_failures: tuple[Finding, ...]
    """Failing now, not failing before (new, or passing, skipped, waived or erroring)."""
    still_failing: tuple[Finding, ...]
    """Failing in both runs."""
    fixed: tuple[Finding, ...]
    """Failing before, passing (or not applicable) now."""
    newly_waived: tuple[Finding, ...]
    """Failing before, covered by a waiver now: not fixed."""
    new_errors: tuple[Finding, ...]
    """Could not be judged now, could be (or did not exist) before."""
    cleared_errors: tuple[Finding, ...]
    """Could not be judged before, judged now (with whatever verdict)."""
    gone: tuple[Finding, ...]
    """Failing or erroring before and absent now (the older finding): the resource was
    removed or is no longer in scope. Not counted as fixed: nothing judged it."""

    @property
    def regressed(self) -> bool:
        """True when there are new failures or new errors."""
        return bool(self.new_failures or self.new_errors)

    def counts(self) -> dict[str, int]:
        """Field name -> number of findings, in field order."""
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}


def compare(old: RunResult, new: RunResult) -> Comparison:
    """How ``new`` differs from ``old``, matching findings by fingerprint."""
    before = {f.fingerprint(): f for f in old.findings}
    after = {f.fingerprint(): f for f in new.findings}
    groups: dict[str, list[Finding]] = {f.name: [] for f in fields(Comparison)}
    for key, f in after.items():
        prev = before.get(key)
        was = prev.status if prev is not None else None
        if f.status is Status.FAIL:
            groups["still_failing" if was is Status.FAIL else "new_failures"].append(f)
        elif was is Status.FAIL and f.status in _FIXED:
            groups["fixed"].append(f)
        elif was is Status.FAIL and f.status is Status.WAIVED:
            groups["newly_waived"].append(f)
        if f.status is Status.ERROR and was is not Status.ERROR:
            groups["new_errors"].append(f)
        elif was is Status.ERROR and f.status is not Status.ERROR:
            groups["cleared_errors"].append(f)
    for key, prev in before.items():
        if key not in after and prev.status in (Status.FAIL, Status.ERROR):
            groups["gone"].append(prev)
    return Comparison(
        **{name: tuple(sorted(items, key=Finding.sort_key)) for name, items in groups.items()}
    )
