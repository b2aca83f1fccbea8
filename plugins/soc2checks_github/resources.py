"""Fixtures of the github provider: each GitHub API call once per run.

Requests per organization: ``GET /orgs/{org}``; members (``role=all`` and
``role=admin``), ``filter=2fa_disabled``; outside collaborators; the repository list
(which carries ``security_and_analysis``). Per repository, only for the checks
selected: branch protection, effective branch rules, each ruleset's details (once per
ruleset per run), CODEOWNERS errors, vulnerability alerts, outside collaborators.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from soc2checks import resource, scope
from soc2checks_github.client import (
    GithubAccessError,
    GithubClient,
    GithubProviderError,
    _message,
    client_for,
)
from soc2checks_github.models import (
    BranchRules,
    Bypass,
    GithubMember,
    GithubOrg,
    GithubOrgSettings,
    GithubRepo,
    OutsideCollaborator,
    RepoCodeowners,
    RepoSecurity,
    RuleSource,
    TwoFactorAudit,
)

if TYPE_CHECKING:
    from soc2checks import Config, RunFacts

# Permission vocabulary: "scope:X" classic token scope, "fine:X" fine-grained token or
# GitHub App permission, "role:X" what the token's user must be.
READ_ORG = "scope:read:org"
REPO = "scope:repo"
OWNER = "role:organization owner"
REPO_ADMIN = "role:admin of each repository"
FG_ORG_ADMIN = "fine:Organization administration: read"
FG_MEMBERS = "fine:Organization members: read"
FG_METADATA = "fine:Repository metadata: read"
FG_ADMIN = "fine:Repository administration: read"
FG_CONTENTS = "fine:Repository contents: read"

NEEDS_OWNER = "an organization owner's token with the read:org scope"
NEEDS_REPO_ADMIN = (
    "the repo scope and admin rights on the repository "
    "(fine-grained: Repository administration: read)"
)


@resource("github_client", scope="run", provider="github")
def github_client(config: Config) -> GithubClient:
    """The run's GitHub client (one per run, so no state outlives the run)."""
    return client_for(config)


@scope("github_org", level="org", description="GitHub organizations from [github] orgs")
def github_org(github_client: GithubClient) -> list[GithubOrg]:
    """The organizations named in ``[github] orgs``."""
    settings = github_client.settings
    if not settings.orgs:
        raise GithubProviderError(
            'no organizations to scan: set [github] orgs = ["your-org"] in the config'
        )
    return [GithubOrg(login=o) for o in settings.orgs]


@resource(
    "github_org_settings",
    scope="org",
    permissions=[READ_ORG, OWNER, FG_ORG_ADMIN],
    resource_type="GitHub::Organization",
)
def github_org_settings(github_org: GithubOrg, github_client: GithubClient) -> GithubOrgSettings:
    """Organization settings: 2FA requirement, default permission, member privileges."""
    _s, _h, data = github_client.get(f"/orgs/{github_org.login}", needs=NEEDS_OWNER)
    plan = data.get("plan") or {}
    return GithubOrgSettings(
        login=github_org.login,
        name=data.get("name"),
        plan=plan.get("name") if isinstance(plan, dict) else None,
        two_factor_requirement_enabled=data.get("two_factor_requirement_enabled"),
        default_repository_permission=data.get("default_repository_permission"),
        members_can_create_repositories=data.get("members_can_create_repositories"),
        members_can_invite_outside_collaborators=data.get(
            "members_can_invite_outside_collaborators"
        ),
        public_repos=_count(data.get("public_repos")),
        total_private_repos=_count(data.get("total_private_repos")),
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@resource(
    "github_members",
    scope="org",
    permissions=[READ_ORG, FG_MEMBERS],
    resource_type="GitHub::OrganizationMember",
)
def github_members(github_org: GithubOrg, github_client: GithubClient) -> list[GithubMember]:
    """Members of the organization with their role (``admin`` = owner)."""
    client = github_client
    path = f"/orgs/{github_org.login}/members"
    needs = "the read:org scope (fine-grained: Organization members: read)"
    everyone = client.paginate(path, {"role": "all"}, needs=needs)
    admins = {u["login"] for u in client.paginate(path, {"role": "admin"}, needs=needs)}
    return [
        GithubMember(
            org=github_org.login,
            login=u["login"],
            role="admin" if u["login"] in admins else "member",
            type=u.get("type") or "User",
        )
        for u in everyone
    ]


@resource(
    "github_members_2fa_disabled",
    scope="org",
    permissions=[READ_ORG, OWNER, FG_MEMBERS],
    resource_type="GitHub::Organization",
)
def github_members_2fa_disabled(
    github_org: GithubOrg, github_client: GithubClient
) -> TwoFactorAudit:
    """Members GitHub reports without two-factor authentication (owners only)."""
    people = github_client.paginate(
        f"/orgs/{github_org.login}/members", {"filter": "2fa_disabled"}, needs=NEEDS_OWNER
    )
    return TwoFactorAudit(org=github_org.login, disabled=sorted(u["login"] for u in people))


def _selected(name: str, full_name: str, include: list[str], exclude: list[str]) -> bool:
    def hit(patterns: list[str]) -> bool:
        return any(fnmatchcase(name, p) or fnmatchcase(full_name, p) for p in patterns)

    return hit(include) and not hit(exclude)


@resource(
    "github_repos",
    scope="org",
    permissions=[REPO, READ_ORG, OWNER, FG_METADATA, FG_ORG_ADMIN],
    resource_type="GitHub::Repository",
)
def github_repos(
    github_org: GithubOrg,
    github_org_settings: GithubOrgSettings,
    github_client: GithubClient,
    run_facts: RunFacts,
) -> list[GithubRepo]:
    """Non-archived repositories of the organization, filtered by include/exclude globs.

    The listing is compared with the organization's own totals (``public_repos`` and,
    for owners, ``total_private_repos`` from ``GET /orgs/{org}``): a token that cannot
    see some repositories (no ``repo`` scope, a fine-grained token or App installation
    limited to some repositories) would otherwise narrow the scope silently. The
    repositories missing from the listing become one placeholder repository whose
    checks are ``error`` findings naming the gap; both counts go into ``run.facts``.
    """
    settings = github_client.settings
    login = github_org.login
    raw = github_client.paginate(
        f"/orgs/{login}/repos",
        {"type": "all"},
        needs="the repo scope to see private repositories (fine-grained: Metadata: read)",
    )
    repos = []
    listed = 0
    for r in raw:
        if r.get("archived") or r.get("disabled"):
            continue
        listed += 1
        if not _selected(r["name"], r["full_name"], settings.include_repos, settings.exclude_repos):
            continue
        sa = r.get("security_and_analysis")
        perms = r.get("permissions") or {}
        repos.append(
            GithubRepo(
                org=login,
                name=r["name"],
                full_name=r["full_name"],
                private=bool(r.get("private")),
                visibility=r.get("visibility") or ("private" if r.get("private") else "public"),
                default_branch=r.get("default_branch"),
                empty=r.get("size") == 0 and not r.get("pushed_at"),
                fork=bool(r.get("fork")),
                admin=perms.get("admin") if perms else None,
                security_and_analysis=(
                    {k: str((v or {}).get("status")) for k, v in sa.items() if isinstance(v, dict)}
                    if isinstance(sa, dict)
                    else None
                ),
            )
        )
    run_facts.filtered(
        "github_repos", found=listed, kept=len(repos), by="include_repos, exclude_repos"
    )
    gap = _listing_gap(login, raw, github_org_settings, run_facts)
    if gap is not None:
        missing, why = gap
        repos.append(
            GithubRepo(
                org=login,
                name=f"<{missing} not visible>",
                full_name=f"{login}/<{missing} repositories not visible to the token>",
                private=True,
                unseen=why,
            )
        )
    return repos


def _listing_gap(
    login: str, raw: list[Any], org: GithubOrgSettings, run_facts: RunFacts
) -> tuple[int, str] | None:
    """Record the listed and the expected counts; the gap and its explanation, if any."""
    listed_public = sum(1 for r in raw if not r.get("private"))
    listed_private = len(raw) - listed_public
    facts: dict[str, Any] = {
        "listed": len(raw),
        "listed_public": listed_public,
        "listed_private": listed_private,
        "org_public_repos": org.public_repos,
        "org_total_private_repos": org.total_private_repos,
    }
    missing_public = max(0, (org.public_repos or 0) - listed_public)
    missing_private = max(0, (org.total_private_repos or 0) - listed_private)
    unverified = []
    if org.public_repos is None:
        unverified.append("GET /orgs/{org} gave no public_repos")
    if org.total_private_repos is None:
        unverified.append(
            "total_private_repos is shown only to organization owners (read:org): whether "
            "every private repository was listed is not verified"
        )
    if unverified:
        facts["unverified"] = "; ".join(unverified)
    facts["missing"] = missing_public + missing_private
    run_facts.record("github", f"{login}.repositories", facts)
    if not facts["missing"]:
        return None
    expected = f"{org.public_repos} public"
    if org.total_private_repos is not None:
        expected += f" + {org.total_private_repos} private"
    why = (
        f"organization {login} has {expected} repositories (GET /orgs/{login}), but the "
        f"token's listing returned {listed_public} public + {listed_private} private: "
        f"{facts['missing']} repositories were not visible, so they were not judged; needs "
        "a token that sees every repository (classic: the repo scope; fine-grained token or "
        "GitHub App: access to all repositories) (could not verify)"
    )
    return int(facts["missing"]), why


# ------------------------------------------------------------- branch rules
ADMIN_ROLE_ID = 5  # RepositoryRole 5 is the admin role (maintain 2, write 4)


def _classic_source(protection: dict[str, Any]) -> RuleSource:
    """Classic branch protection as one layer, its bypasses in ruleset terms."""
    rpr = protection.get("required_pull_request_reviews")
    rsc = protection.get("required_status_checks")
    kinds: list[str] = []
    count: int | None = None
    contexts: list[str] | None = None
    bypass: list[Bypass] = []
    if rpr is not None:
        kinds.append("pull_request")
        count = int(rpr.get("required_approving_review_count") or 0)
        allow = rpr.get("bypass_pull_request_allowances") or {}
        for key, kind, label in (
            ("users", "User", "user"),
            ("teams", "Team", "team"),
            ("apps", "Integration", "app"),
        ):
            for who in allow.get(key) or []:
                name = who.get("login") or who.get("slug") or who.get("name") or who.get("id")
                bypass.append(
                    Bypass(
                        actor_type=kind,
                        actor_id=who.get("id"),
                        bypass_mode="pull_request",
                        label=f"{label} {name} (bypass_pull_request_allowances)",
                        rules=["pull_request"],
                    )
                )
    if rsc is not None:
        kinds.append("required_status_checks")
        found = list(rsc.get("contexts") or [])
        found += [c["context"] for c in rsc.get("checks") or [] if c.get("context")]
        contexts = sorted(set(found))
    if not (protection.get("allow_force_pushes") or {}).get("enabled"):
        kinds.append("non_fast_forward")
    if not (protection.get("allow_deletions") or {}).get("enabled"):
        kinds.append("deletion")
    if not (protection.get("enforce_admins") or {}).get("enabled"):
        bypass.insert(
            0,
            Bypass(
                actor_type="RepositoryRole",
                actor_id=ADMIN_ROLE_ID,
                bypass_mode="always",
                label="repository admins (enforce_admins is off)",
            ),
        )
    return RuleSource(
        kind="classic",
        name="classic branch protection",
        rule_types=sorted(kinds),
        required_approving_review_count=count,
        required_status_checks=contexts,
        bypass=bypass,
        bypass_actors=[b.label for b in bypass],
    )


def _ruleset_source(
    rid: int, items: list[dict[str, Any]], detail: dict[str, Any] | None, error: str | None
) -> RuleSource:
    """One active ruleset's rules on the branch, with its bypass list when visible."""
    first = items[0]
    bypass: list[Bypass] | None = None
    if detail is not None and "bypass_actors" in detail:
        bypass = [_bypass(a) for a in detail.get("bypass_actors") or []]
    count: int | None = None
    contexts: list[str] | None = None
    for rule in items:
        p = rule.get("parameters") or {}
        if rule.get("type") == "pull_request":
            count = max(count or 0, int(p.get("required_approving_review_count") or 0))
        elif rule.get("type") == "required_status_checks":
            found = [c["context"] for c in p.get("required_status_checks") or []]
            contexts = sorted(set(contexts or []) | set(found))
    name = (detail or {}).get("name") or f"ruleset {rid}"
    return RuleSource(
        kind="ruleset",
        name=f"ruleset {name!r} ({first.get('ruleset_source_type')} {first.get('ruleset_source')})",
        ruleset_id=rid,
        source_type=first.get("ruleset_source_type"),
        source=first.get("ruleset_source"),
        rule_types=sorted({r["type"] for r in items}),
        required_approving_review_count=count,
        required_status_checks=contexts,
        bypass=bypass,
        bypass_actors=None if bypass is None else [b.label for b in bypass],
        detail_error=error,
    )


def _merge(
    repo: GithubRepo,
    protection: dict[str, Any] | None,
    rules: list[dict[str, Any]],
    details: dict[int, tuple[dict[str, Any] | None, str | None]],
) -> BranchRules:
    """Every layer of rules on the default branch, and the settings merged across them."""
    out = BranchRules(repo=repo.full_name, branch=repo.default_branch)
    sources: list[RuleSource] = []
    if protection is not None:
        sources.append(_classic_source(protection))
        rpr = protection.get("required_pull_request_reviews")
        if rpr is not None:
            out.dismiss_stale_reviews = bool(rpr.get("dismiss_stale_reviews"))
            out.require_code_owner_reviews = bool(rpr.get("require_code_owner_reviews"))
        rsc = protection.get("required_status_checks")
        if rsc is not None:
            out.strict_status_checks = bool(rsc.get("strict"))
    by_ruleset: dict[int, list[dict[str, Any]]] = {}
    for rule in rules:
        by_ruleset.setdefault(int(rule.get("ruleset_id") or 0), []).append(rule)
    for rid, items in sorted(by_ruleset.items()):
        detail, error = details.get(rid, (None, None))
        sources.append(_ruleset_source(rid, items, detail, error))
        for rule in items:
            p = rule.get("parameters") or {}
            kind = rule.get("type")
            if kind == "pull_request":
                out.dismiss_stale_reviews |= bool(p.get("dismiss_stale_reviews_on_push"))
                out.require_code_owner_reviews |= bool(p.get("require_code_owner_review"))
            elif kind == "required_status_checks":
                out.strict_status_checks |= bool(p.get("strict_required_status_checks_policy"))
    out.sources = sources
    out.protected = bool(sources)
    return out


def _bypass(a: dict[str, Any]) -> Bypass:
    kind = str(a.get("actor_type") or "?")
    ident = a.get("actor_id")
    mode = str(a.get("bypass_mode") or "always")
    label = {"OrganizationAdmin": "organization admins", "DeployKey": "deploy keys"}.get(kind)
    if label is None:
        label = f"{kind} {ident}" if ident is not None else kind
        if kind == "RepositoryRole" and ident == ADMIN_ROLE_ID:
            label = f"repository admins (RepositoryRole {ADMIN_ROLE_ID})"
    return Bypass(
        actor_type=kind,
        actor_id=int(ident) if isinstance(ident, int) else None,
        bypass_mode=mode,
        label=f"{label} ({mode})",
    )


@resource(
    "github_branch_rules",
    scope="org",
    permissions=[REPO, REPO_ADMIN, READ_ORG, FG_ADMIN, FG_ORG_ADMIN],
    resource_type="GitHub::Repository",
)
def github_branch_rules(
    github_org: GithubOrg, github_repos: list[GithubRepo], github_client: GithubClient
) -> list[BranchRules]:
    """Each repository's default branch: classic protection and active rulesets, merged."""
    client = github_client

    def ruleset(repo: GithubRepo, rule: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        rid = int(rule.get("ruleset_id") or 0)
        if rule.get("ruleset_source_type") == "Organization":
            org = rule.get("ruleset_source") or github_org.login
            path = f"/orgs/{org}/rulesets/{rid}"
            needs = "the read:org scope as an organization owner to read bypass lists"
        else:
            path = f"/repos/{repo.full_name}/rulesets/{rid}"
            needs = NEEDS_REPO_ADMIN
        try:
            data = client.once(path, lambda: client.get(path, needs=needs)[2])
            return data, None
        except GithubAccessError as exc:
            return None, str(exc)

    def fetch(repo: GithubRepo) -> BranchRules:
        if repo.unseen:
            return BranchRules(repo=repo.full_name, error=repo.unseen)
        if repo.empty or not repo.default_branch:
            return BranchRules(repo=repo.full_name, empty=True)
        branch = quote(repo.default_branch, safe="/")
        base = f"/repos/{repo.full_name}"
        try:
            status, _h, data = client.get(
                f"{base}/branches/{branch}/protection", needs=NEEDS_REPO_ADMIN, allow=(404,)
            )
            protection = data if status == 200 else None
            if status == 404:
                msg = _message(data).lower()
                if msg == "branch not found":
                    return BranchRules(repo=repo.full_name, empty=True)
                if msg != "branch not protected":
                    raise GithubAccessError(
                        f"404 on GET {base}/branches/{branch}/protection: {_message(data)}; "
                        f"needs {NEEDS_REPO_ADMIN} (could not verify)"
                    )
            rules = client.paginate(
                f"{base}/rules/branches/{branch}",
                needs="the repo scope (fine-grained: Metadata: read)",
            )
            details = {}
            for rule in rules:
                rid = int(rule.get("ruleset_id") or 0)
                if rid not in details:
                    details[rid] = ruleset(repo, rule)
            return _merge(repo, protection, rules, details)
        except GithubProviderError as exc:
            return BranchRules(repo=repo.full_name, branch=repo.default_branch, error=str(exc))

    return client.map(fetch, github_repos)


@resource(
    "github_codeowners",
    scope="org",
    permissions=[REPO, FG_CONTENTS],
    resource_type="GitHub::Repository",
)
def github_codeowners(
    github_org: GithubOrg, github_repos: list[GithubRepo], github_client: GithubClient
) -> list[RepoCodeowners]:
    """Whether each repository has a CODEOWNERS file (``GET .../codeowners/errors``).

    GitHub answers 404 when the default branch has no CODEOWNERS file in any of the
    three standard locations (``.github/``, the root, ``docs/``).
    """
    client = github_client

    def fetch(repo: GithubRepo) -> RepoCodeowners:
        if repo.unseen:
            return RepoCodeowners(repo=repo.full_name, error=repo.unseen)
        if repo.empty:
            return RepoCodeowners(repo=repo.full_name, empty=True)
        try:
            status, _h, data = client.get(
                f"/repos/{repo.full_name}/codeowners/errors",
                needs="the repo scope (fine-grained: Contents: read)",
                allow=(404,),
            )
        except GithubProviderError as exc:
            return RepoCodeowners(repo=repo.full_name, error=str(exc))
        if status == 404:
            return RepoCodeowners(repo=repo.full_name, present=False)
        errors = (data or {}).get("errors") if isinstance(data, dict) else None
        if not isinstance(errors, list):
            return RepoCodeowners(
                repo=repo.full_name,
                error=f"GET /repos/{repo.full_name}/codeowners/errors answered without an "
                "'errors' list (could not verify)",
            )
        paths = sorted({str(e.get("path")) for e in errors if e.get("path")})
        return RepoCodeowners(
            repo=repo.full_name,
            present=True,
            path=paths[0] if paths else None,
            file_errors=[
                f"{e.get('path') or 'CODEOWNERS'}:{e.get('line', '?')}: "
                f"{e.get('kind') or 'error'}: {e.get('message') or e.get('source') or ''}".strip()
                for e in errors
            ],
        )

    return client.map(fetch, github_repos)


@resource(
    "github_repo_security",
    scope="org",
    permissions=[REPO, REPO_ADMIN, FG_ADMIN],
    resource_type="GitHub::Repository",
)
def github_repo_security(
    github_org: GithubOrg,
    github_org_settings: GithubOrgSettings,
    github_repos: list[GithubRepo],
    github_client: GithubClient,
) -> list[RepoSecurity]:
    """Dependabot alerts (``GET .../vulnerability-alerts``: 204 on, 404 off) and the
    repository listing's ``security_and_analysis`` (secret scanning, push protection).

    A feature GitHub does not list for a repository is None (not offered, e.g. secret
    scanning of a private repository without GitHub Secret Protection), never "disabled".
    """
    client = github_client

    def fetch(repo: GithubRepo) -> RepoSecurity:
        if repo.unseen:
            return RepoSecurity(repo=repo.full_name, error=repo.unseen)
        sa = repo.security_and_analysis
        shown = sa is not None
        out = RepoSecurity(
            repo=repo.full_name,
            empty=repo.empty,
            private=repo.private,
            plan=github_org_settings.plan,
            security_visible=shown,
            secret_scanning=(sa or {}).get("secret_scanning"),
            secret_scanning_push_protection=(sa or {}).get("secret_scanning_push_protection"),
            advanced_security=(sa or {}).get("advanced_security"),
        )
        if repo.empty:
            return out
        if repo.admin is False:
            out.error = (
                f"the token has no admin rights on {repo.full_name}, so GitHub hides its "
                f"security settings; needs {NEEDS_REPO_ADMIN} (could not verify)"
            )
            return out
        try:
            status, _h, _d = client.get(
                f"/repos/{repo.full_name}/vulnerability-alerts",
                needs=NEEDS_REPO_ADMIN,
                allow=(404,),
            )
            out.dependabot_alerts = status != 404
        except GithubProviderError as exc:
            out.error = str(exc)
        return out

    return client.map(fetch, github_repos)


@resource(
    "github_outside_collaborators",
    scope="org",
    permissions=[READ_ORG, REPO, REPO_ADMIN, FG_MEMBERS, FG_METADATA],
    resource_type="GitHub::OutsideCollaborator",
)
def github_outside_collaborators(
    github_org: GithubOrg, github_repos: list[GithubRepo], github_client: GithubClient
) -> list[OutsideCollaborator]:
    """Outside collaborators with their role on each repository in scope."""
    client = github_client
    people = client.paginate(
        f"/orgs/{github_org.login}/outside_collaborators",
        needs="the read:org scope (fine-grained: Organization members: read)",
    )
    if not people:
        return []
    found = {
        p["login"]: OutsideCollaborator(org=github_org.login, login=p["login"]) for p in people
    }

    def fetch(repo: GithubRepo) -> tuple[GithubRepo, list[Any] | str]:
        if repo.unseen:
            return repo, repo.unseen
        try:
            return repo, client.paginate(
                f"/repos/{repo.full_name}/collaborators",
                {"affiliation": "outside"},
                needs=NEEDS_REPO_ADMIN,
            )
        except GithubProviderError as exc:
            return repo, str(exc)

    for repo, result in client.map(fetch, [r for r in github_repos if not r.empty]):
        if isinstance(result, str):
            for person in found.values():
                person.errors[repo.name] = result
            continue
        for c in result:
            who = found.get(c["login"])
            if who is None:
                continue
            who.permissions[repo.name] = c.get("role_name") or _role(c.get("permissions"))
    return list(found.values())


def _role(perms: dict[str, bool] | None) -> str:
    for name, key in (
        ("admin", "admin"),
        ("maintain", "maintain"),
        ("write", "push"),
        ("triage", "triage"),
    ):
        if (perms or {}).get(key):
            return name
    return "read"


def render_permissions(actions: Any) -> str:
    """The token scopes, fine-grained permissions and roles the selected checks need."""
    wanted = sorted(set(actions))
    scopes = [a.split(":", 1)[1] for a in wanted if a.startswith("scope:")]
    fine = [a.split(":", 1)[1] for a in wanted if a.startswith("fine:")]
    roles = [a.split(":", 1)[1] for a in wanted if a.startswith("role:")]
    other = [a for a in wanted if not a.startswith(("scope:", "fine:", "role:"))]
    lines = ["# GitHub access needed by the selected checks (read-only)"]
    if scopes:
        lines += ["", "Classic personal access token scopes:", *[f"  {s}" for s in scopes]]
    if fine:
        lines += ["", "Fine-grained token or GitHub App permissions:", *[f"  {s}" for s in fine]]
    if roles:
        lines += [
            "",
            "The token's user (or the App installation) must be:",
            *[f"  {r}" for r in roles],
        ]
    if other:
        lines += ["", "Other:", *[f"  {o}" for o in other]]
    return "\n".join(lines) + "\n"
