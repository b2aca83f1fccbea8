"""An organization's ACTIVE projects through Cloud Asset Inventory (``use_asset_inventory``).

One paginated ``assets.list`` (cloudasset v1, REST, discovery client) over the
organization, for the ``cloudresourcemanager.googleapis.com/Folder`` and ``…/Project``
asset types with ``contentType = RESOURCE``: each asset carries its ``ancestors``
(project, folders nearest first, organization) and the Resource Manager resource, so the
folder paths come out of the same answer. The project set equals the folder walk's:
ACTIVE projects whose every folder is ACTIVE. A denial or a disabled API raises an error
naming the permission and the API; there is never a fall back to fewer projects.
"""

from __future__ import annotations

from typing import Any

from soc2checks_gcp.clients import GcpClients
from soc2checks_gcp.errors import GcpAccessDenied, GcpError, GcpServiceDisabled
from soc2checks_gcp.models import GcpProject

ASSETS_LIST = "cloudasset.assets.listResource"
SERVICE = "cloudasset.googleapis.com"
FOLDER = "cloudresourcemanager.googleapis.com/Folder"
PROJECT = "cloudresourcemanager.googleapis.com/Project"
PAGE_SIZE = 1000  # the largest page assets.list serves


def _assets(clients: GcpClients, org: str) -> list[dict[str, Any]]:
    service = clients.discovery("cloudasset", "v1")
    parent = f"organizations/{org}"
    out: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        request = service.assets().list(
            parent=parent,
            assetTypes=[FOLDER, PROJECT],
            contentType="RESOURCE",
            pageSize=PAGE_SIZE,
            pageToken=token,
        )
        try:
            page = clients.execute(request, ASSETS_LIST, parent)
        except GcpServiceDisabled as exc:
            raise GcpServiceDisabled(
                f"Cloud Asset Inventory ({SERVICE}) is disabled, so the projects of {parent} "
                f"cannot be listed: enable {SERVICE} in the credentials' quota project "
                f"(gcloud services enable {SERVICE}), or set [gcp] use_asset_inventory = false "
                "to walk the folders instead",
                SERVICE,
            ) from exc
        except GcpAccessDenied as exc:
            raise GcpAccessDenied(
                f"PermissionDenied: {ASSETS_LIST} on {parent} ({SERVICE}) is not allowed, so "
                "the projects of the organization cannot be listed: grant it on the "
                "organization (roles/cloudasset.viewer), or set [gcp] use_asset_inventory = "
                f"false to walk the folders instead ({exc})"
            ) from exc
        out.extend(page.get("assets") or [])
        token = page.get("nextPageToken")
        if not token:
            return out


def _short(full_name: str) -> str:
    """``//cloudresourcemanager.googleapis.com/folders/1`` -> ``folders/1``."""
    return full_name.removeprefix("//cloudresourcemanager.googleapis.com/")


def inventory_projects(clients: GcpClients, org: str) -> list[GcpProject]:
    """Every ACTIVE project of ``org`` under ACTIVE folders, with its folder path."""
    root = f"organizations/{org}"
    folders: dict[str, dict[str, Any]] = {}
    projects: list[dict[str, Any]] = []
    for asset in _assets(clients, org):
        data = (asset.get("resource") or {}).get("data") or {}
        if asset.get("assetType") == FOLDER:
            folders[_short(str(asset.get("name", "")))] = data
        elif asset.get("assetType") == PROJECT:
            projects.append(asset)
    found: list[GcpProject] = []
    for asset in projects:
        data = (asset.get("resource") or {}).get("data") or {}
        ancestors = [str(a) for a in asset.get("ancestors") or []]
        project_id, number = data.get("projectId"), data.get("projectNumber")
        if not project_id or not number or len(ancestors) < 2 or ancestors[-1] != root:
            raise GcpError(
                f"Cloud Asset Inventory answered a project asset of {root} without its "
                f"projectId, projectNumber or ancestors ({asset.get('name')!r}): cannot judge "
                "the population"
            )
        if data.get("lifecycleState") != "ACTIVE":
            continue
        chain = ancestors[1:]  # parent first, the organization last
        names: list[str] = []
        active = True
        for folder in chain[:-1]:
            if folder not in folders:
                raise GcpError(
                    f"Cloud Asset Inventory listed project {project_id} under {folder}, which "
                    f"it did not list among the folders of {root}: cannot judge the population"
                )
            active = active and folders[folder].get("lifecycleState") == "ACTIVE"
            names.insert(0, str(folders[folder].get("displayName") or folder))
        if not active:
            continue
        found.append(
            GcpProject(
                project_id=str(project_id),
                number=str(number),
                parent=chain[0],
                folder_path=tuple(names),
                organization=org,
                ancestors=tuple(chain),
            )
        )
    return found
