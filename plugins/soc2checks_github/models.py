"""Typed resources the github provider fetches; checks judge these and nothing else.

Every model round-trips through JSON. Per-repository models carry an ``error``: when
GitHub would not tell us (a token scope, a plan limit, a rate-limit budget), the
fetch records why, and :meth:`known` raises it so the check becomes an ``error``
finding for that repository alone, never a ``fail``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class UnverifiableError(PermissionError):
    """GitHub did not show us what a check needs; the message says what would."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=False)


class GithubOrg(_Model):
    """A GitHub organization in scope: the scope value of the github provider."""

    login: str

    @property
    def resource_id(self) -> str:
        return self.login

    @property
    def scope_key(self) -> dict[str, str]:
        return {"org": self.login}

    resource_type: str = "GitHub::Organization"


class GithubOrgSettings(_Model):
    """Organization settings from ``GET /orgs/{org}`` (owner-only fields may be None)."""

    login: str
    name: str | None = None
    plan: str | None = None
    two_factor_requirement_enabled: bool | None = None
    default_repository_permission: str | None = None
    members_can_create_repositories: bool | None = None
    members_can_invite_outside_collaborators: bool | None = None
    public_repos: int | None = None
    total_private_repos: int | None = None
    """Private (and internal) repositories the organization owns; shown only to owners."""
    resource_type: str = "GitHub::Organization"

    @property
    def resource_id(self) -> str:
        return self.login

    def owner_field(self, name: str) -> object:
        """The value of an owner-only field, or raise :class:`UnverifiableError`."""
        value = getattr(self, name)
        if value is None:
            raise UnverifiableError(
                f"GitHub did not return {name} for organization {self.login}: it is shown only "
                "to organization owners, with a token that has the read:org scope "
                "(fine-grained: Organization administration: read)"
            )
        return value


class GithubMember(_Model):
    """An organization member with their role (``admin`` is an owner)."""

    org: str
    login: str
    role: str
    type: str = "User"
    resource_type: str = "GitHub::OrganizationMember"

    @property
    def resource_id(self) -> str:
        return f"{self.org}/{self.login}"


class TwoFactorAudit(_Model):
    """The members GitHub lists under ``filter=2fa_disabled`` (owner-only)."""

    org: str
    disabled: list[str] = Field(default_factory=list)
    resource_type: str = "GitHub::Organization"

    @property
    def resource_id(self) -> str:
        return self.org


class OutsideCollaborator(_Model):
    """Someone outside the organization with access to some of its repositories."""

    org: str
    login: str
    permissions: dict[str, str] = Field(default_factory=dict)
    """Repository name -> role (read, triage, write, maintain, admin)."""
    errors: dict[str, str] = Field(default_factory=dict)
    """Repository name -> why its collaborators could not be read."""
    resource_type: str = "GitHub::OutsideCollaborator"

    @property
    def resource_id(self) -> str:
        return f"{self.org}/{self.login}"


class GithubRepo(_Model):
    """A repository in scope (non-archived, selected by include/exclude globs)."""

    org: str
    name: str
    full_name: str
    private: bool
    visibility: str = "private"
    default_branch: str | None = None
    empty: bool = False
    fork: bool = False
    admin: bool | None = None
    security_and_analysis: dict[str, str] | None = None
    """Feature -> ``enabled``/``disabled``; None when GitHub hid it (no admin access)."""
    unseen: str | None = None
    """Set on the one placeholder standing for repositories the organization has but the
    listing did not return (the token cannot see them): why, and how many. Every
    per-repository fixture turns it into an ``error`` for its checks."""
    resource_type: str = "GitHub::Repository"

    @property
    def resource_id(self) -> str:
        return self.full_name


class _RepoFacts(_Model):
    repo: str
    empty: bool = False
    error: str | None = None
    resource_type: str = "GitHub::Repository"

    @property
    def resource_id(self) -> str:
        return self.repo

    def known(self) -> None:
        """Raise :class:`UnverifiableError` if GitHub would not show these facts."""
        if self.error:
            raise UnverifiableError(self.error)


class Bypass(_Model):
    """Someone who may bypass a layer's rules, as GitHub reports it.

    Rulesets list ``bypass_actors`` (``actor_type`` ``RepositoryRole``,
    ``OrganizationAdmin``, ``Team``, ``Integration``, ``DeployKey``, ``User``; ``bypass_mode``
    ``always``, ``pull_request`` or ``exempt``). Classic protection is expressed the same
    way: ``enforce_admins`` off is ``RepositoryRole`` 5 (admin) bypassing every rule, and
    each entry of ``bypass_pull_request_allowances`` (users, teams, apps) bypasses the
    ``pull_request`` rule.
    """

    actor_type: str
    actor_id: int | None = None
    bypass_mode: str = "always"
    label: str
    rules: list[str] | None = None
    """The rule types this bypass covers; None means every rule of the layer."""


class RuleSource(_Model):
    """One layer of rules on a branch: classic protection or one ruleset."""

    kind: str
    """``classic`` or ``ruleset``."""
    name: str
    ruleset_id: int | None = None
    source_type: str | None = None
    source: str | None = None
    rule_types: list[str] = Field(default_factory=list)
    required_approving_review_count: int | None = None
    """Approvals this layer requires; None when it has no pull request rule."""
    required_status_checks: list[str] | None = None
    """Status checks this layer requires; None when it has no status check rule."""
    bypass: list[Bypass] | None = None
    """Who may bypass this layer; None when GitHub hid the list (token cannot edit it)."""
    bypass_actors: list[str] | None = None
    """``bypass`` as readable labels (None when hidden)."""
    detail_error: str | None = None
    """Why the ruleset's details (bypass list) could not be read."""


class BranchRules(_RepoFacts):
    """The rules GitHub enforces on the default branch: every layer (classic protection
    and each active ruleset) in ``sources``, with what each requires and who may bypass
    it, plus review and status-check settings merged across layers (set by any layer).

    Whether a required rule binds a given actor is judged per layer by the controls
    (``soc2checks_controls._branch_rules``): a rule counts only from a layer that
    enforces it without a bypass for that actor.
    """

    branch: str | None = None
    protected: bool = False
    sources: list[RuleSource] = Field(default_factory=list)
    dismiss_stale_reviews: bool = False
    require_code_owner_reviews: bool = False
    strict_status_checks: bool = False


class RepoCodeowners(_RepoFacts):
    """Whether the repository has a CODEOWNERS file GitHub recognises."""

    present: bool = False
    path: str | None = None
    file_errors: list[str] = Field(default_factory=list)
    """The errors GitHub found in the file (``GET .../codeowners/errors``), one line each:
    ``path:line: kind: message``. GitHub ignores the lines they are on."""


class RepoSecurity(_RepoFacts):
    """Dependabot alerts, secret scanning and push protection of a repository."""

    private: bool = True
    plan: str | None = None
    """The organization's plan (``free``, ``team``, ``enterprise``); None when hidden."""
    security_visible: bool = False
    """Whether GitHub showed ``security_and_analysis`` (only to repository admins)."""
    dependabot_alerts: bool | None = None
    secret_scanning: str | None = None
    """``enabled``/``disabled``; None when GitHub does not list the feature (not offered)."""
    secret_scanning_push_protection: str | None = None
    advanced_security: str | None = None


# ------------------------------------------------------------ change population


class ChangePopulation(_Model):
    """How one repository's change population was taken: the period, the counts and the
    queries that produced them, so an auditor can test completeness."""

    repo: str
    branch: str | None = None
    period_start: str
    period_end: str
    merged_pulls: int | None = None
    """Pull requests merged into the default branch in the period."""
    commits: int | None = None
    """Commits that reached the default branch in the period (``since``/``until``)."""
    direct_commits: int | None = None
    """Commits of the period that belong to no merged pull request."""
    queries: list[str] = Field(default_factory=list)


class PullReview(_Model):
    """One review of a pull request, as ``GET .../pulls/{n}/reviews`` lists it."""

    user: str | None
    state: str
    commit_id: str | None = None


class _Change(_RepoFacts):
    number: int
    author: str | None = None
    merged_by: str | None = None
    merged_at: str | None = None
    head_sha: str | None = None
    merge_commit_sha: str | None = None
    population: ChangePopulation | None = None
    resource_type: str = "GitHub::PullRequest"

    @property
    def resource_id(self) -> str:
        return f"{self.repo}#{self.number}"


class MergedPull(_Change):
    """A pull request merged into the default branch in the period, with its reviews
    and the people who pushed its last commit."""

    reviews: list[PullReview] = Field(default_factory=list)
    last_committers: list[str] = Field(default_factory=list)
    """GitHub logins of the author and committer of the head commit (``web-flow``,
    GitHub's own committer for web edits and merges, left out)."""
    dismiss_stale_reviews: bool = False
    """Whether the branch rules dismiss approvals when new commits are pushed."""


class PullChecks(_Change):
    """The required status checks of the base branch and their results on the merged head."""

    required: list[str] | None = None
    """Contexts the branch rules require (every layer); None when the rules are unknown."""
    results: dict[str, str] = Field(default_factory=dict)
    """Context or check-run name -> ``state`` (commit status) or ``conclusion`` (check run)."""


class PullBypass(_Change):
    """Whether the merge of a pull request bypassed the rules of its base branch.

    GitHub records ruleset bypasses in rule suites (``GET .../rulesets/rule-suites``,
    kept for about a month); it records no bypass of classic branch protection in the
    REST API (only the audit log's ``protected_branch.policy_override``).
    """

    protected: bool = False
    ruleset_layers: int = 0
    classic_bypass: list[str] = Field(default_factory=list)
    """Who may bypass the classic protection layer (its overrides are not recorded)."""
    suites_since: str | None = None
    """The oldest time the rule suites cover; merges before it cannot be verified."""
    bypassed_by: str | None = None
    """The actor of a rule suite with result ``bypass`` for this merge commit."""


class BranchCommit(_RepoFacts):
    """A commit that reached the default branch in the period, and the pull request it
    belongs to (merge commit, squash commit, rebased commit, or a commit merged in)."""

    sha: str
    date: str | None = None
    author: str | None = None
    committer: str | None = None
    message: str = ""
    pulls: list[int] = Field(default_factory=list)
    """Merged pull requests this commit belongs to; empty for a direct push."""
    matched_by: str | None = None
    """How: ``merge_commit_sha``, ``merged through #N`` (second parent of a merge
    commit), ``pull request commits`` or ``GET /repos/{repo}/commits/{sha}/pulls``."""
    population: ChangePopulation | None = None
    resource_type: str = "GitHub::Commit"

    @property
    def resource_id(self) -> str:
        return f"{self.repo}@{self.sha[:12]}"
