"""What the layers of rules on a GitHub branch mean: who each required rule binds.

Pure judgement over :class:`soc2checks_github.models.BranchRules`, shared by the
branch-protection checks. GitHub enforces every layer (classic protection and each
active ruleset) at once, but a layer binds an actor only if that actor may not bypass
it, so a required rule counts only from a layer that enforces it without a bypass for
the actor in question:

- **admins** (repository admins and organization owners): bypassed by
  ``OrganizationAdmin``, ``EnterpriseOwner`` and any ``RepositoryRole`` entry (roles
  are cumulative: an admin holds every lower role's permissions), by an actor type we
  do not know, and in classic protection by ``enforce_admins`` being off;
- **others** (everyone who is not an admin): bypassed by every entry except the admin
  ones above (``Team``, ``User``, ``Integration``, ``DeployKey``, ``RepositoryRole``
  other than admin), and in classic protection by ``bypass_pull_request_allowances``.

``bypass_mode`` ``always`` and ``exempt`` bypass every rule of the layer;
``pull_request`` bypasses the rules a pull request merge is subject to, not the
push-only rules (force pushes and deletion cannot happen through a pull request).
A layer whose bypass list GitHub hid binds nobody we can vouch for: ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from soc2checks_github.models import BranchRules, Bypass, RuleSource

Actor = Literal["admins", "others"]

ADMIN_ROLE_ID = 5
_ADMIN_TYPES = frozenset({"OrganizationAdmin", "EnterpriseOwner"})
_OTHER_TYPES = frozenset({"Team", "User", "Integration", "DeployKey"})
_PUSH_ONLY_RULES = frozenset({"non_fast_forward", "deletion", "creation"})

ADMINS: Actor = "admins"
OTHERS: Actor = "others"


def _covers(b: Bypass, actor: Actor) -> bool:
    """Whether bypass entry ``b`` applies to ``actor``."""
    is_admin_entry = b.actor_type in _ADMIN_TYPES or (
        b.actor_type == "RepositoryRole" and b.actor_id == ADMIN_ROLE_ID
    )
    if actor == ADMINS:
        return b.actor_type not in _OTHER_TYPES  # any role, admin types, unknown types
    return not is_admin_entry


def bypassers(layer: RuleSource, rule: str, actor: Actor) -> list[str] | None:
    """The entries of ``layer`` that let ``actor`` bypass ``rule``; None if hidden."""
    if layer.bypass is None:
        return None
    found = []
    for b in layer.bypass:
        if b.rules is not None and rule not in b.rules:
            continue
        if b.bypass_mode == "pull_request" and rule in _PUSH_ONLY_RULES:
            continue
        if _covers(b, actor):
            found.append(b.label)
    return found


def binds(layer: RuleSource, rule: str, actor: Actor) -> bool | None:
    """Whether ``layer`` enforces ``rule`` on ``actor``; None if its bypass list is hidden."""
    if rule not in layer.rule_types:
        return False
    found = bypassers(layer, rule, actor)
    return None if found is None else not found


@dataclass(frozen=True)
class Requirement:
    """A value required by the layers that bind an actor, and what could not be told."""

    value: int
    """The strongest requirement among the binding layers (0: none binds)."""
    binding: tuple[str, ...]
    """The binding layers, with what each requires."""
    bypassable: tuple[str, ...]
    """Layers that require it but that the actor may bypass, and who lets them."""
    hidden: tuple[str, ...]
    """Layers that require it whose bypass list GitHub hid, and why."""
    hidden_value: int
    """The strongest requirement among the hidden layers."""


def _requirement(
    rules: BranchRules, rule: str, actor: Actor, layers: Iterable[tuple[RuleSource, int, str]]
) -> Requirement:
    value, hidden_value = 0, 0
    binding: list[str] = []
    bypassable: list[str] = []
    hidden: list[str] = []
    for layer, amount, what in layers:
        found = bypassers(layer, rule, actor)
        if found is None:
            hidden_value = max(hidden_value, amount)
            why = layer.detail_error or "GitHub shows bypass lists only to repository admins"
            hidden.append(f"{layer.name} requires {what} (bypass list unreadable: {why})")
        elif found:
            bypassable.append(f"{layer.name} requires {what}, bypassed by {', '.join(found)}")
        else:
            value = max(value, amount)
            binding.append(f"{layer.name} requires {what}")
    return Requirement(value, tuple(binding), tuple(bypassable), tuple(hidden), hidden_value)


def required_approvals(rules: BranchRules, actor: Actor = OTHERS) -> Requirement:
    """The approvals a pull request by ``actor`` needs: the highest count among the
    layers whose pull request rule ``actor`` may not bypass."""
    layers = [
        (s, n, f"{n} approval(s)")
        for s in rules.sources
        if "pull_request" in s.rule_types
        for n in [s.required_approving_review_count or 0]
    ]
    return _requirement(rules, "pull_request", actor, layers)


def required_status_checks(rules: BranchRules, actor: Actor = OTHERS) -> Requirement:
    """Whether ``actor``'s merges need status checks: ``value`` is the number of checks
    required by the layer that binds ``actor`` and requires the most."""
    layers = [
        (s, len(checks), f"status checks {', '.join(checks) or '(none listed)'}")
        for s in rules.sources
        if "required_status_checks" in s.rule_types
        for checks in [s.required_status_checks or []]
    ]
    return _requirement(rules, "required_status_checks", actor, layers)


@dataclass(frozen=True)
class AdminBinding:
    """Per rule type required on the branch: whether some layer binds admins to it."""

    bound: dict[str, list[str]]
    """Rule type -> the layers that enforce it on admins."""
    bypassed: dict[str, list[str]]
    """Rule type -> every layer requiring it lets admins bypass (layer: who)."""
    hidden: dict[str, list[str]]
    """Rule type -> not bound by any readable layer, but some layer's list is hidden."""


def admin_binding(rules: BranchRules) -> AdminBinding:
    """Judge every rule type any layer requires: is it enforced on admins somewhere?"""
    kinds = sorted({k for s in rules.sources for k in s.rule_types})
    bound: dict[str, list[str]] = {}
    bypassed: dict[str, list[str]] = {}
    hidden: dict[str, list[str]] = {}
    for kind in kinds:
        layers = [s for s in rules.sources if kind in s.rule_types]
        verdicts = {s.name: binds(s, kind, ADMINS) for s in layers}
        if any(v is True for v in verdicts.values()):
            bound[kind] = sorted(n for n, v in verdicts.items() if v is True)
        elif any(v is None for v in verdicts.values()):
            hidden[kind] = sorted(
                f"{s.name}: {s.detail_error or 'bypass list hidden'}"
                for s in layers
                if verdicts[s.name] is None
            )
        else:
            bypassed[kind] = sorted(
                f"{s.name} ({', '.join(bypassers(s, kind, ADMINS) or [])})" for s in layers
            )
    return AdminBinding(bound, bypassed, hidden)


def rule_binding(rules: BranchRules, rule: str, actor: Actor = OTHERS) -> Requirement:
    """Whether some layer enforces ``rule`` (a yes/no rule such as ``non_fast_forward``)
    on ``actor``: ``value`` is 1 when one does."""
    layers = [(s, 1, rule) for s in rules.sources if rule in s.rule_types]
    return _requirement(rules, rule, actor, layers)
