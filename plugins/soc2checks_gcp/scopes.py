"""Scope fixtures: the projects a run fans out over, and the run's clients.

With ``organization``, every ACTIVE project under it: the folder tree is walked
breadth-first with ``folders.list`` and ``projects.list`` per parent, or, with
``use_asset_inventory = true``, listed by Cloud Asset Inventory (:mod:`.inventory`). With
``projects``, each is read with ``projects.get`` (to learn its parent and state).
If the population cannot be enumerated, the scope fixture fails, so every selected
check gets one ``error`` finding and nothing is reported as checked: never a silent
fall back to fewer projects. The judged population lands in the run's facts.
"""

from __future__ import annotations

import functools
from collections import deque
from typing import Any

from soc2checks import Config, RunFacts, resource, scope
from soc2checks_gcp.clients import GcpClients, clients_for
from soc2checks_gcp.clients import first_page as _first_page
from soc2checks_gcp.errors import GcpError
from soc2checks_gcp.inventory import ASSETS_LIST, inventory_projects
from soc2checks_gcp.models import GcpProject

FOLDERS_LIST = "resourcemanager.folders.list"
PROJECTS_LIST = "resourcemanager.projects.list"
PROJECTS_GET = "resourcemanager.projects.get"
FOLDERS_GET = "resourcemanager.folders.get"


@resource("gcp_clients", scope="run", provider="gcp")
def gcp_clients(config: Config) -> GcpClients:
    """The run's Google clients, built lazily per API."""
    return clients_for(config)


def _walk_organization(clients: GcpClients, org: str) -> list[GcpProject]:
    folders_client = clients.resource_manager("Folders")
    projects_client = clients.resource_manager("Projects")
    found: list[GcpProject] = []
    root = f"organizations/{org}"
    # (parent, folder display-name path, the parent and its ancestors, nearest first)
    queue: deque[tuple[str, tuple[str, ...], tuple[str, ...]]] = deque([(root, (), (root,))])
    while queue:
        parent, path, chain = queue.popleft()
        for p in _list(clients, projects_client.list_projects, PROJECTS_LIST, parent):
            if _state(p) == "ACTIVE":
                found.append(
                    GcpProject(
                        project_id=p.project_id,
                        number=p.name.removeprefix("projects/"),
                        parent=parent,
                        folder_path=path,
                        organization=org,
                        ancestors=chain,
                    )
                )
        for f in _list(clients, folders_client.list_folders, FOLDERS_LIST, parent):
            if _state(f) == "ACTIVE":
                queue.append((f.name, (*path, f.display_name or f.name), (f.name, *chain)))
    return found


def _state(resource: Any) -> str:
    return str(getattr(resource.state, "name", resource.state))


def _list(clients: GcpClients, method: Any, permission: str, parent: str) -> list[Any]:
    """Every item of ``method(parent=…)``, one retried request per page."""
    out: list[Any] = []
    token = ""
    while True:
        request = {"parent": parent, "page_token": token}
        page = clients.call(functools.partial(_first_page, method, request), permission, parent)
        out.extend(getattr(page, "folders", None) or getattr(page, "projects", None) or [])
        token = page.next_page_token
        if not token:
            return out


def _listed_projects(clients: GcpClients, ids: list[str]) -> list[GcpProject]:
    projects_client = clients.resource_manager("Projects")
    folders_client = clients.resource_manager("Folders")

    def folder(name: str) -> Any:
        return clients.once(
            f"folder:{name}",
            lambda: clients.call(
                functools.partial(folders_client.get_folder, name=name, retry=None),
                FOLDERS_GET,
                name,
            ),
        )

    found: list[GcpProject] = []
    for pid in ids:
        p = clients.call(
            functools.partial(projects_client.get_project, name=f"projects/{pid}", retry=None),
            PROJECTS_GET,
            f"projects/{pid}",
        )
        if _state(p) != "ACTIVE":
            continue
        chain: list[str] = []
        names: list[str] = []
        parent = p.parent
        while parent.startswith("folders/"):
            f = folder(parent)
            chain.append(parent)
            names.insert(0, f.display_name or parent)
            parent = f.parent
        org = None
        if parent.startswith("organizations/"):
            chain.append(parent)
            org = parent.removeprefix("organizations/")
        found.append(
            GcpProject(
                project_id=p.project_id,
                number=p.name.removeprefix("projects/"),
                parent=p.parent,
                folder_path=tuple(names),
                organization=org,
                ancestors=tuple(chain),
            )
        )
    return found


@scope(
    "gcp_project",
    level="project",
    provider="gcp",
    permissions=[FOLDERS_LIST, PROJECTS_LIST, PROJECTS_GET, FOLDERS_GET, ASSETS_LIST],
    description="GCP projects: every ACTIVE project of [gcp] organization, or [gcp] projects",
)
def gcp_project(gcp_clients: GcpClients, run_facts: RunFacts) -> list[GcpProject]:
    """The projects in scope (``exclude_projects`` removed), recorded in the run facts."""
    s = gcp_clients.settings
    if s.organization is None and s.projects is None:
        raise GcpError(
            'no projects to scan: set [gcp] organization = "123456789012" or '
            'projects = ["my-project"] in the config'
        )
    if s.organization is not None and s.use_asset_inventory:
        projects = inventory_projects(gcp_clients, s.organization)
    elif s.organization is not None:
        projects = _walk_organization(gcp_clients, s.organization)
    else:
        projects = _listed_projects(gcp_clients, list(s.projects or []))
    excluded = sorted(p.project_id for p in projects if p.project_id in s.exclude_projects)
    projects = sorted(
        (p for p in projects if p.project_id not in s.exclude_projects), key=lambda p: p.project_id
    )
    run_facts.record("gcp", "endpoint", s.endpoint or "https://*.googleapis.com")
    if s.organization:
        run_facts.record("gcp", "organization", s.organization)
        method = "cloudasset.assets.list" if s.use_asset_inventory else "folder walk"
        run_facts.record("gcp", "enumeration", method)
    run_facts.record("gcp", "projects", [p.project_id for p in projects])
    run_facts.record("gcp", "projects_count", len(projects))
    run_facts.record(
        "gcp", "folder_paths", {p.project_id: "/".join(p.folder_path) for p in projects}
    )
    run_facts.record("gcp", "excluded_projects", excluded)
    return projects
