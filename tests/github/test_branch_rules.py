"""The meaning of a branch's layers, table-tested: who each bypass entry lets through.

Pure judgement (``soc2checks_controls._branch_rules``) over hand-made models, and the
checks called as plain functions; the end-to-end cases are in ``test_verdicts.py``.
"""

from __future__ import annotations

import pytest

from soc2checks_controls._branch_rules import (
    ADMINS,
    OTHERS,
    admin_binding,
    binds,
    required_approvals,
    required_status_checks,
    rule_binding,
)
from soc2checks_controls.vulnerability_management import github_secret_scanning
from soc2checks_github.models import (
    BranchRules,
    Bypass,
    RepoSecurity,
    RuleSource,
    UnverifiableError,
)

RULES = ["deletion", "non_fast_forward", "pull_request", "required_status_checks"]


def _layer(*bypass: Bypass, hidden: bool = False) -> RuleSource:
    return RuleSource(
        kind="ruleset",
        name="ruleset 'main'",
        rule_types=RULES,
        required_approving_review_count=2,
        required_status_checks=["ci"],
        bypass=None if hidden else list(bypass),
    )


def _actor(kind: str, ident: int | None = None, mode: str = "always") -> Bypass:
    return Bypass(actor_type=kind, actor_id=ident, bypass_mode=mode, label=f"{kind} {ident}")


# (bypass entry, rule, binds admins?, binds everyone else?)
TABLE = [
    (None, "pull_request", True, True),
    (_actor("RepositoryRole", 5), "pull_request", False, True),
    (_actor("OrganizationAdmin", 1), "pull_request", False, True),
    (_actor("EnterpriseOwner"), "pull_request", False, True),
    # roles are cumulative: an admin holds a maintain/write bypass too (fail closed)
    (_actor("RepositoryRole", 2), "pull_request", False, False),
    (_actor("RepositoryRole", 4), "required_status_checks", False, False),
    (_actor("Team", 77), "pull_request", True, False),
    (_actor("User", 9), "pull_request", True, False),
    (_actor("Integration", 3), "required_status_checks", True, False),
    (_actor("DeployKey"), "non_fast_forward", True, False),
    # a type GitHub adds later binds nobody we can vouch for
    (_actor("EnterpriseTeam", 1), "pull_request", False, False),
    # pull_request mode: no bypass of push-only rules
    (_actor("RepositoryRole", 5, "pull_request"), "non_fast_forward", True, True),
    (_actor("RepositoryRole", 5, "pull_request"), "deletion", True, True),
    (_actor("RepositoryRole", 5, "pull_request"), "pull_request", False, True),
    (_actor("Team", 7, "pull_request"), "required_status_checks", True, False),
    (_actor("OrganizationAdmin", 1, "exempt"), "deletion", False, True),
]


@pytest.mark.parametrize(("entry", "rule", "admins", "others"), TABLE)
def test_who_a_bypass_entry_lets_through(
    entry: Bypass | None, rule: str, admins: bool, others: bool
) -> None:
    layer = _layer(*([entry] if entry else []))
    assert binds(layer, rule, ADMINS) is admins
    assert binds(layer, rule, OTHERS) is others


def test_entry_limited_to_some_rules_covers_only_those() -> None:
    allowance = Bypass(
        actor_type="User",
        actor_id=1,
        bypass_mode="pull_request",
        label="user x",
        rules=["pull_request"],
    )
    layer = _layer(allowance)
    assert binds(layer, "pull_request", OTHERS) is False
    assert binds(layer, "required_status_checks", OTHERS) is True


def test_hidden_bypass_list_is_unknown_and_rule_absent_binds_nobody() -> None:
    assert binds(_layer(hidden=True), "pull_request", ADMINS) is None
    assert binds(_layer(), "required_signatures", ADMINS) is False


def test_required_approvals_takes_the_highest_binding_layer() -> None:
    low = RuleSource(
        kind="classic",
        name="classic",
        rule_types=["pull_request"],
        required_approving_review_count=1,
        bypass=[],
    )
    high = RuleSource(
        kind="ruleset",
        name="high",
        rule_types=["pull_request"],
        required_approving_review_count=3,
        bypass=[],
    )
    bypassable = RuleSource(
        kind="ruleset",
        name="team",
        rule_types=["pull_request"],
        required_approving_review_count=5,
        bypass=[_actor("Team", 7)],
    )
    for order in ([low, high, bypassable], [bypassable, high, low]):
        need = required_approvals(BranchRules(repo="a/b", sources=order, protected=True))
        assert need.value == 3
        assert need.bypassable == ("team requires 5 approval(s), bypassed by Team 7",)


def test_admin_binding_is_per_rule() -> None:
    classic = RuleSource(kind="classic", name="classic", rule_types=["deletion"], bypass=[])
    ruleset = _layer(_actor("RepositoryRole", 5))
    judged = admin_binding(BranchRules(repo="a/b", sources=[classic, ruleset], protected=True))
    assert judged.bound == {"deletion": ["classic"]}
    assert sorted(judged.bypassed) == ["non_fast_forward", "pull_request", "required_status_checks"]


# Found by the mutation pass (docs/mutation-testing.md): each test kills a mutant that
# the suite let through.


def test_nothing_binding_requires_zero_approvals() -> None:
    # _branch_rules.py `value, hidden_value = 0, 0` -> `1, 0`
    need = required_approvals(
        BranchRules(repo="a/b", sources=[_layer(_actor("Team", 7))], protected=True)
    )
    assert need.value == 0
    assert need.binding == ()
    assert need.hidden_value == 0


def test_hidden_layer_without_detail_names_why() -> None:
    # `layer.detail_error or "GitHub shows ..."` -> `and`: the reason became "None"
    need = required_approvals(
        BranchRules(repo="a/b", sources=[_layer(hidden=True)], protected=True)
    )
    assert need.value == 0
    assert need.hidden_value == 2
    assert need.hidden == (
        "ruleset 'main' requires 2 approval(s) (bypass list unreadable: "
        "GitHub shows bypass lists only to repository admins)",
    )


def test_admin_binding_one_hidden_layer_makes_the_rule_hidden() -> None:
    # `any(v is None ...)` -> `all(...)`: one bypassed plus one hidden layer was judged
    # "bypassed", hiding that the unreadable layer may bind admins
    bypassed = _layer(_actor("RepositoryRole", 5))
    hidden = RuleSource(
        kind="ruleset",
        name="secret",
        rule_types=["pull_request"],
        bypass=None,
        detail_error="403 from GitHub",
    )
    judged = admin_binding(BranchRules(repo="a/b", sources=[bypassed, hidden], protected=True))
    assert judged.hidden == {"pull_request": ["secret: 403 from GitHub"]}
    assert "pull_request" not in judged.bypassed
    assert judged.bound == {}


def test_rule_binding_value_is_one_when_a_layer_binds() -> None:
    # `(s, 1, rule)` -> `(s, 2, rule)`
    need = rule_binding(
        BranchRules(repo="a/b", sources=[_layer()], protected=True), "non_fast_forward", ADMINS
    )
    assert need.value == 1
    assert need.binding == ("ruleset 'main' requires non_fast_forward",)


def test_pull_request_rule_without_a_count_requires_no_approval() -> None:
    # `s.required_approving_review_count or 0` -> `or 1`
    layer = RuleSource(kind="ruleset", name="pr", rule_types=["pull_request"], bypass=[])
    need = required_approvals(BranchRules(repo="a/b", sources=[layer], protected=True))
    assert need.value == 0
    assert need.binding == ("pr requires 0 approval(s)",)


def test_status_checks_value_counts_the_listed_checks() -> None:
    # `s.required_status_checks or []` -> `and []`: the listed checks were dropped
    need = required_status_checks(BranchRules(repo="a/b", sources=[_layer()], protected=True))
    assert need.value == 1
    assert need.binding == ("ruleset 'main' requires status checks ci",)


def test_secret_scanning_on_github_free_is_an_error_even_when_listed() -> None:
    """Called as a plain function: a private repository on GitHub Free has no secret
    scanning to turn on, whatever security_and_analysis says."""
    security = RepoSecurity(
        repo="acme/app",
        private=True,
        plan="free",
        security_visible=True,
        secret_scanning="disabled",
        secret_scanning_push_protection="disabled",
    )
    with pytest.raises(UnverifiableError, match="Secret Protection"):
        github_secret_scanning(security)
    public = security.model_copy(update={"private": False})
    with pytest.raises(AssertionError, match="secret scanning and push protection disabled"):
        github_secret_scanning(public)
