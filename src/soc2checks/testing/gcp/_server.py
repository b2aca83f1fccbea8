"""A small stateful fake of the Google Cloud REST APIs the gcp provider reads.

One loopback endpoint serves every API, as ``client_options.api_endpoint`` points every
client at one base URL: Resource Manager v3 (folders, projects, project IAM policies),
Cloud Storage JSON v1 (buckets, bucket IAM), Compute v1 (firewalls, project metadata),
IAM v1 (service accounts, keys), Cloud SQL Admin v1beta4 (instances), Cloud Logging v2
(sinks), Cloud KMS v1 (locations, key rings, crypto keys) and Cloud Asset v1
(``assets.list`` of an organization's folders and projects). Answers follow Google's
discovery documents (a test checks them); errors use Google's JSON error shape with a
``google.rpc.ErrorInfo`` detail: 403 ``PERMISSION_DENIED`` (``IAM_PERMISSION_DENIED``)
and ``SERVICE_DISABLED``, 404 ``NOT_FOUND``, 429 ``RESOURCE_EXHAUSTED`` with
``Retry-After``. Lists paginate with ``pageToken``/``nextPageToken``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from soc2checks.testing._loopback import LoopbackServer, Request, Response
from soc2checks.testing.gcp._world import normalize

CREATED = "2021-01-01T00:00:00.000Z"

# route template -> (IAM permission, API service, the project path parameter or None)
_ROUTES: dict[str, tuple[str, str]] = {
    "GET /v3/folders": ("resourcemanager.folders.list", "cloudresourcemanager.googleapis.com"),
    "GET /v3/projects": ("resourcemanager.projects.list", "cloudresourcemanager.googleapis.com"),
    "GET /v3/projects/{project}": (
        "resourcemanager.projects.get",
        "cloudresourcemanager.googleapis.com",
    ),
    "POST /v3/projects/{project}:getIamPolicy": (
        "resourcemanager.projects.getIamPolicy",
        "cloudresourcemanager.googleapis.com",
    ),
    "GET /v3/folders/{folder}": (
        "resourcemanager.folders.get",
        "cloudresourcemanager.googleapis.com",
    ),
    "POST /v3/folders/{folder}:getIamPolicy": (
        "resourcemanager.folders.getIamPolicy",
        "cloudresourcemanager.googleapis.com",
    ),
    "POST /v3/organizations/{organization}:getIamPolicy": (
        "resourcemanager.organizations.getIamPolicy",
        "cloudresourcemanager.googleapis.com",
    ),
    "GET /v1/organizations/{organization}/assets": (
        "cloudasset.assets.listResource",
        "cloudasset.googleapis.com",
    ),
    "GET /storage/v1/b": ("storage.buckets.list", "storage.googleapis.com"),
    "GET /storage/v1/b/{bucket}/iam": ("storage.buckets.getIamPolicy", "storage.googleapis.com"),
    "GET /compute/v1/projects/{project}": ("compute.projects.get", "compute.googleapis.com"),
    "GET /compute/v1/projects/{project}/global/firewalls": (
        "compute.firewalls.list",
        "compute.googleapis.com",
    ),
    "GET /v1/projects/{project}/serviceAccounts": (
        "iam.serviceAccounts.list",
        "iam.googleapis.com",
    ),
    "GET /v1/projects/{project}/serviceAccounts/{account}/keys": (
        "iam.serviceAccountKeys.list",
        "iam.googleapis.com",
    ),
    "GET /sql/v1beta4/projects/{project}/instances": (
        "cloudsql.instances.list",
        "sqladmin.googleapis.com",
    ),
    "GET /v2/projects/{project}/sinks": ("logging.sinks.list", "logging.googleapis.com"),
    "GET /v1/projects/{project}/locations": ("cloudkms.locations.list", "cloudkms.googleapis.com"),
    "GET /v1/projects/{project}/locations/{location}/keyRings": (
        "cloudkms.keyRings.list",
        "cloudkms.googleapis.com",
    ),
    "GET /v1/projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys": (
        "cloudkms.cryptoKeys.list",
        "cloudkms.googleapis.com",
    ),
}

KMS_LOCATIONS = ("global", "us", "europe", "us-central1", "europe-west1")


def google_error(
    code: int, status: str, message: str, reason: str | None = None, **metadata: str
) -> Response:
    """Google's JSON error body, with an ``ErrorInfo`` detail when ``reason`` is given."""
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "status": status,
        "errors": [{"message": message, "domain": "global", "reason": (reason or status).lower()}],
    }
    if reason:
        error["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": reason,
                "domain": "googleapis.com",
                "metadata": dict(metadata),
            }
        ]
    return Response(code, {"error": error})


class FakeGcp(LoopbackServer):
    """A fake of the Google Cloud REST APIs, seeded from a world (see :mod:`._world`)::

    with FakeGcp(world, delay=0.03) as gcp:
        ...  # [gcp] endpoint = gcp.base_url, anonymous = true
        print(gcp.requests)  # Counter by route template
    """

    server_name = "FakeGcp/1.0"

    def __init__(self, world: dict[str, Any], *, delay: float = 0.0) -> None:
        super().__init__(delay=delay)
        self.world = normalize(world)
        self._throttle: list[int] = []
        self._tlock = threading.Lock()
        handlers: dict[str, Callable[[Request], Response]] = {
            "GET /v3/folders": self._folders,
            "GET /v3/projects": self._projects,
            "GET /v3/projects/{project}": self._project,
            "POST /v3/projects/{project}:getIamPolicy": self._project_iam,
            "GET /v3/folders/{folder}": self._folder,
            "POST /v3/folders/{folder}:getIamPolicy": self._folder_iam,
            "POST /v3/organizations/{organization}:getIamPolicy": self._org_iam,
            "GET /v1/organizations/{organization}/assets": self._assets,
            "GET /storage/v1/b": self._buckets,
            "GET /storage/v1/b/{bucket}/iam": self._bucket_iam,
            "GET /compute/v1/projects/{project}": self._compute_project,
            "GET /compute/v1/projects/{project}/global/firewalls": self._firewalls,
            "GET /v1/projects/{project}/serviceAccounts": self._service_accounts,
            "GET /v1/projects/{project}/serviceAccounts/{account}/keys": self._sa_keys,
            "GET /sql/v1beta4/projects/{project}/instances": self._sql_instances,
            "GET /v2/projects/{project}/sinks": self._sinks,
            "GET /v1/projects/{project}/locations": self._kms_locations,
            "GET /v1/projects/{project}/locations/{location}/keyRings": self._key_rings,
            "GET /v1/projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys": (
                self._crypto_keys
            ),
        }
        for key, handler in handlers.items():
            method, template = key.split(" ", 1)
            self.route(method, template, handler)

    # ------------------------------------------------------------ test switches
    def throttle(self, times: int = 1, *, retry_after: int = 0) -> None:
        """Answer the next ``times`` requests with 429 ``RESOURCE_EXHAUSTED``."""
        with self._tlock:
            self._throttle.extend([retry_after] * times)

    def deny(self, permission: str, project: str | None = None) -> None:
        """Take ``permission`` away (in ``project`` only, when given)."""
        self.world["denied"].append(f"{permission}@{project}" if project else permission)

    # ----------------------------------------------------------------- plumbing
    def _project_of(self, template: str, request: Request) -> dict[str, Any] | None:
        ref = request.params.get("project") or request.query.get("project")
        if template == "GET /storage/v1/b/{bucket}/iam":
            for p in self.world["projects"].values():
                if any(b["name"] == request.params["bucket"] for b in p["buckets"]):
                    return p  # type: ignore[no-any-return]
            return None
        if ref is None:
            return None
        return self.find_project(ref)

    def find_project(self, ref: str) -> dict[str, Any] | None:
        """The world's project with this ID or number (``projects/`` prefix allowed)."""
        ref = ref.removeprefix("projects/")
        for p in self.world["projects"].values():
            if ref in (p["project_id"], p["number"]):
                return p  # type: ignore[no-any-return]
        return None

    def _allowed(self, permission: str, project: str | None) -> bool:
        granted = self.world.get("granted")
        if granted is not None and permission not in granted:
            return False
        denied = self.world["denied"]
        return permission not in denied and (
            project is None or f"{permission}@{project}" not in denied
        )

    def before(self, template: str, request: Request) -> Response | None:
        with self._tlock:
            wait = self._throttle.pop(0) if self._throttle else None
        if wait is not None:
            resp = google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "RATE_LIMIT_EXCEEDED")
            resp.headers["Retry-After"] = str(wait)
            return resp
        key = f"{request.method} {template}"
        permission, service = _ROUTES[key]
        project = self._project_of(key, request)
        if project is None and ("project" in request.params or "project" in request.query):
            ref = request.params.get("project") or request.query.get("project")
            return google_error(
                403,
                "PERMISSION_DENIED",
                f"Permission '{permission}' denied on resource 'projects/{ref}' "
                "(or it may not exist).",
                "IAM_PERMISSION_DENIED",
                permission=permission,
            )
        pid = project["project_id"] if project else None
        org = self.world["organization"]
        if "organization" in request.params and service in org["disabled_services"]:
            quota = org["quota_project_number"]
            return google_error(
                403,
                "PERMISSION_DENIED",
                f"{service} has not been used in project {quota} before or it is disabled. "
                f"Enable it by visiting https://console.developers.google.com/apis/api/{service}"
                f"/overview?project={quota} then retry.",
                "SERVICE_DISABLED",
                service=service,
                consumer=f"projects/{quota}",
            )
        if project is not None and service in project["disabled_services"]:
            return google_error(
                403,
                "PERMISSION_DENIED",
                f"{service} has not been used in project {project['number']} before or it is "
                "disabled. Enable it by visiting https://console.developers.google.com/apis/api/"
                f"{service}/overview?project={project['number']} then retry.",
                "SERVICE_DISABLED",
                service=service,
                consumer=f"projects/{project['number']}",
            )
        if not self._allowed(permission, pid):
            where = f"projects/{pid}" if pid else request.query.get("parent", "the resource")
            return google_error(
                403,
                "PERMISSION_DENIED",
                f"Permission '{permission}' denied on resource '{where}' (or it may not exist).",
                "IAM_PERMISSION_DENIED",
                permission=permission,
            )
        return None

    def _page(self, request: Request, items: list[Any], key: str, **extra: Any) -> Response:
        size_param = request.query.get("pageSize") or request.query.get("maxResults")
        size = int(size_param) if size_param else int(self.world["page_size"])
        size = max(1, min(size, int(self.world["page_size"])))
        start = int(request.query.get("pageToken") or 0)
        body: dict[str, Any] = dict(extra)
        chunk = items[start : start + size]
        if chunk:
            body[key] = chunk
        if start + size < len(items):
            body["nextPageToken"] = str(start + size)
        return Response(200, body)

    # ------------------------------------------------------- resource manager
    def _folders(self, request: Request) -> Response:
        parent = request.query.get("parent", "")
        folders = [self._folder_body(f) for f in self.world["folders"] if f["parent"] == parent]
        return self._page(request, folders, "folders")

    def _folder_body(self, f: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": f"folders/{f['id']}",
            "parent": f["parent"],
            "displayName": f["display_name"],
            "state": f["state"],
            "createTime": CREATED,
            "updateTime": CREATED,
            "etag": f"W/folder-{f['id']}",
        }

    def _find_folder(self, folder_id: str) -> dict[str, Any] | None:
        for f in self.world["folders"]:
            if f["id"] == folder_id:
                return f  # type: ignore[no-any-return]
        return None

    def _folder(self, request: Request) -> Response:
        f = self._find_folder(request.params["folder"])
        if f is None:
            return google_error(404, "NOT_FOUND", "Folder not found.")
        return Response(200, self._folder_body(f))

    @staticmethod
    def _policy(iam: dict[str, Any]) -> Response:
        policy: dict[str, Any] = {"version": 1, "etag": "BwXhqDxjsLs="}
        if iam.get("bindings"):
            policy["bindings"] = iam["bindings"]
        if iam.get("auditConfigs"):
            policy["auditConfigs"] = iam["auditConfigs"]
        return Response(200, policy)

    def _folder_iam(self, request: Request) -> Response:
        f = self._find_folder(request.params["folder"])
        if f is None:
            return google_error(404, "NOT_FOUND", "Folder not found.")
        return self._policy(f.get("iam") or {})

    def _org_iam(self, request: Request) -> Response:
        org = self.world["organization"]
        if request.params["organization"] != org["id"]:
            return google_error(404, "NOT_FOUND", "Organization not found.")
        return self._policy(org.get("iam") or {})

    def _project_body(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": f"projects/{p['number']}",
            "parent": p["parent"],
            "projectId": p["project_id"],
            "state": p["state"],
            "displayName": p["display_name"],
            "createTime": CREATED,
            "updateTime": CREATED,
            "etag": f"W/project-{p['number']}",
        }

    def _projects(self, request: Request) -> Response:
        parent = request.query.get("parent", "")
        items = [
            self._project_body(p)
            for p in self.world["projects"].values()
            if p["parent"] == parent
            and (p["state"] == "ACTIVE" or request.query.get("showDeleted"))
        ]
        return self._page(request, items, "projects")

    def _project(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        return Response(200, self._project_body(p))

    def _project_iam(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        return self._policy(p["iam"])

    # ---------------------------------------------------------- cloud asset
    def _assets(self, request: Request) -> Response:
        """``assets.list`` of Folder and Project assets (``contentType=RESOURCE``)."""
        org = self.world["organization"]
        if request.params["organization"] != org["id"]:
            return google_error(404, "NOT_FOUND", "Organization not found.")
        types = set(request.multi.get("assetTypes", []))
        with_data = request.query.get("contentType") == "RESOURCE"
        crm = "//cloudresourcemanager.googleapis.com"
        assets: list[dict[str, Any]] = []
        if not types or "cloudresourcemanager.googleapis.com/Folder" in types:
            for f in self.world["folders"]:
                data = {
                    "name": f"folders/{f['id']}",
                    "parent": f["parent"],
                    "displayName": f["display_name"],
                    "lifecycleState": f["state"],
                    "createTime": CREATED,
                }
                assets.append(
                    self._asset(f"folders/{f['id']}", "Folder", f["parent"], data, with_data)
                )
        if not types or "cloudresourcemanager.googleapis.com/Project" in types:
            for p in self.world["projects"].values():
                kind, pid = p["parent"].split("/", 1)
                data = {
                    "projectNumber": p["number"],
                    "projectId": p["project_id"],
                    "lifecycleState": p["state"],
                    "name": p["display_name"],
                    "parent": {"type": kind.removesuffix("s"), "id": pid},
                    "createTime": CREATED,
                }
                assets.append(
                    self._asset(f"projects/{p['number']}", "Project", p["parent"], data, with_data)
                )
        assets.sort(key=lambda a: a["name"])
        for a in assets:
            a["name"] = crm + "/" + a["name"]
        return self._page(request, assets, "assets", readTime=CREATED)

    def _asset(
        self, name: str, kind: str, parent: str, data: dict[str, Any], with_data: bool
    ) -> dict[str, Any]:
        ancestors = [name]
        while parent.startswith("folders/"):
            ancestors.append(parent)
            folder = self._find_folder(parent.removeprefix("folders/"))
            assert folder is not None, f"unknown parent {parent}"
            parent = folder["parent"]
        ancestors.append(parent)
        asset: dict[str, Any] = {
            "name": name,
            "assetType": f"cloudresourcemanager.googleapis.com/{kind}",
            "ancestors": ancestors,
            "updateTime": CREATED,
        }
        if with_data:
            asset["resource"] = {
                "version": "v1" if kind == "Project" else "v2",
                "discoveryDocumentUri": (
                    "https://cloudresourcemanager.googleapis.com/$discovery/rest"
                ),
                "discoveryName": kind,
                "parent": f"//cloudresourcemanager.googleapis.com/{ancestors[1]}",
                "data": data,
            }
        return asset

    # ----------------------------------------------------------------- storage
    def _bucket_body(self, p: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "kind": "storage#bucket",
            "id": b["name"],
            "selfLink": f"{self.base_url}/storage/v1/b/{b['name']}",
            "name": b["name"],
            "projectNumber": p["number"],
            "metageneration": "1",
            "location": b.get("location", "US"),
            "storageClass": "STANDARD",
            "etag": "CAE=",
            "timeCreated": CREATED,
            "updated": CREATED,
            "iamConfiguration": {
                "uniformBucketLevelAccess": {"enabled": bool(b.get("uniform", True))},
                "publicAccessPrevention": b.get("public_access_prevention", "inherited"),
            },
            "locationType": "multi-region",
        }
        if b.get("versioning") is not None:
            body["versioning"] = {"enabled": bool(b["versioning"])}
        if b.get("retention_seconds"):
            body["retentionPolicy"] = {
                "retentionPeriod": str(b["retention_seconds"]),
                "effectiveTime": CREATED,
            }
        for drop in b.get("omit", []):  # a test switch: leave a field out
            body.get("iamConfiguration", {}).pop(drop, None)
            body.pop(drop, None)
        return body

    def _buckets(self, request: Request) -> Response:
        p = self.find_project(request.query["project"])
        assert p is not None
        items = [self._bucket_body(p, b) for b in sorted(p["buckets"], key=lambda b: b["name"])]
        return self._page(request, items, "items", kind="storage#buckets")

    def _bucket_iam(self, request: Request) -> Response:
        for p in self.world["projects"].values():
            for b in p["buckets"]:
                if b["name"] == request.params["bucket"]:
                    bindings = (b.get("iam") or {}).get("bindings", [])
                    return Response(
                        200,
                        {
                            "kind": "storage#policy",
                            "resourceId": f"projects/_/buckets/{b['name']}",
                            "version": 1,
                            "etag": "CAE=",
                            "bindings": bindings,
                        },
                    )
        return google_error(404, "NOT_FOUND", "The specified bucket does not exist.", "notFound")

    # ----------------------------------------------------------------- compute
    def _compute_project(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        items = [{"key": k, "value": v} for k, v in sorted(p["metadata"].items())]
        return Response(
            200,
            {
                "kind": "compute#project",
                "id": p["number"],
                "name": p["project_id"],
                "creationTimestamp": CREATED,
                "commonInstanceMetadata": {
                    "kind": "compute#metadata",
                    "fingerprint": "abc=",
                    "items": items,
                },
                "selfLink": f"{self.base_url}/compute/v1/projects/{p['project_id']}",
            },
        )

    def _firewalls(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        items = []
        for n, fw in enumerate(sorted(p["firewalls"], key=lambda f: f["name"])):
            body = {
                "kind": "compute#firewall",
                "id": str(7000 + n),
                "creationTimestamp": CREATED,
                "name": fw["name"],
                "network": f"projects/{p['project_id']}/global/networks/default",
                "priority": fw.get("priority", 1000),
                "direction": fw.get("direction", "INGRESS"),
                "disabled": bool(fw.get("disabled", False)),
                "selfLink": f"projects/{p['project_id']}/global/firewalls/{fw['name']}",
            }
            for key in ("sourceRanges", "allowed", "denied", "targetTags"):
                if key in fw:
                    body[key] = fw[key]
            items.append(body)
        return self._page(request, items, "items", kind="compute#firewallList", id="fw")

    # --------------------------------------------------------------------- iam
    def _service_accounts(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        items = [
            {
                "name": f"projects/{p['project_id']}/serviceAccounts/{sa['email']}",
                "projectId": p["project_id"],
                "uniqueId": str(110000000000000000000 + n),
                "email": sa["email"],
                "displayName": sa.get("display_name", sa["email"].split("@")[0]),
                "etag": "MDEwMjE5MjA=",
                "oauth2ClientId": str(110000000000000000000 + n),
                "disabled": bool(sa.get("disabled", False)),
            }
            for n, sa in enumerate(sorted(p["service_accounts"], key=lambda s: s["email"]))
        ]
        return self._page(request, items, "accounts")

    def _sa_keys(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        email = request.params["account"]
        for sa in p["service_accounts"]:
            if sa["email"] == email:
                wanted = request.query.get("keyTypes")
                keys = []
                for k in sa.get("keys", []):
                    kind = k.get("type", "USER_MANAGED")
                    if wanted and wanted != kind:
                        continue
                    keys.append(
                        {
                            "name": f"projects/{p['project_id']}/serviceAccounts/{email}/keys/"
                            f"{k['id']}",
                            "validAfterTime": k["created"],
                            "validBeforeTime": k.get("expires", "9999-12-31T23:59:59Z"),
                            "keyAlgorithm": "KEY_ALG_RSA_2048",
                            "keyOrigin": "GOOGLE_PROVIDED",
                            "keyType": kind,
                            "disabled": bool(k.get("disabled", False)),
                        }
                    )
                body: dict[str, Any] = {"keys": keys} if keys else {}
                return Response(200, body)
        return google_error(404, "NOT_FOUND", f"Unknown service account {email}.", "notFound")

    # --------------------------------------------------------------------- sql
    def _sql_instances(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        items = []
        for inst in sorted(p["sql_instances"], key=lambda i: i["name"]):
            ip: dict[str, Any] = {
                "ipv4Enabled": bool(inst.get("ipv4", False)),
                "authorizedNetworks": [
                    {"kind": "sql#aclEntry", "value": v}
                    for v in inst.get("authorized_networks", [])
                ],
            }
            if "ssl_mode" in inst:
                ip["sslMode"] = inst["ssl_mode"]
            if "require_ssl" in inst:
                ip["requireSsl"] = inst["require_ssl"]
            replica = bool(inst.get("replica", False))
            body: dict[str, Any] = {
                "kind": "sql#instance",
                "name": inst["name"],
                "project": p["project_id"],
                "databaseVersion": inst.get("version", "POSTGRES_15"),
                "region": inst.get("region", "us-central1"),
                "state": "RUNNABLE",
                "instanceType": "READ_REPLICA_INSTANCE" if replica else "CLOUD_SQL_INSTANCE",
                "settings": {
                    "kind": "sql#settings",
                    "tier": "db-custom-1-3840",
                    "ipConfiguration": ip,
                    "backupConfiguration": {
                        "kind": "sql#backupConfiguration",
                        "enabled": bool(inst.get("backups", False)),
                    },
                },
                "ipAddresses": (
                    [{"type": "PRIMARY", "ipAddress": "203.0.113.10"}] if inst.get("ipv4") else []
                ),
            }
            if replica:
                body["masterInstanceName"] = f"{p['project_id']}:{inst.get('primary', 'primary')}"
            items.append(body)
        return self._page(request, items, "items")

    # ----------------------------------------------------------------- logging
    def _sinks(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        items = []
        for s in sorted(p["sinks"], key=lambda s: s["name"]):
            body = {
                "name": s["name"],
                "destination": s["destination"],
                "writerIdentity": (
                    f"serviceAccount:sink-{s['name']}@logging.iam.gserviceaccount.com"
                ),
                "createTime": CREATED,
                "updateTime": CREATED,
            }
            if s.get("filter"):
                body["filter"] = s["filter"]
            if s.get("disabled"):
                body["disabled"] = True
            items.append(body)
        return self._page(request, items, "sinks")

    # --------------------------------------------------------------------- kms
    def _kms_locations(self, request: Request) -> Response:
        pid = request.params["project"]
        items = [
            {"name": f"projects/{pid}/locations/{loc}", "locationId": loc} for loc in KMS_LOCATIONS
        ]
        return self._page(request, items, "locations")

    def _key_rings(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        loc = request.params["location"]
        rings = sorted({r["key_ring"] for r in p["kms"] if r["location"] == loc})
        items = [
            {
                "name": f"projects/{p['project_id']}/locations/{loc}/keyRings/{r}",
                "createTime": CREATED,
            }
            for r in rings
        ]
        return self._page(request, items, "keyRings", totalSize=len(items))

    def _crypto_keys(self, request: Request) -> Response:
        p = self.find_project(request.params["project"])
        assert p is not None
        loc, ring = request.params["location"], request.params["ring"]
        items = []
        for r in p["kms"]:
            if r["location"] != loc or r["key_ring"] != ring:
                continue
            for k in sorted(r["keys"], key=lambda k: k["name"]):
                name = (
                    f"projects/{p['project_id']}/locations/{loc}/keyRings/{ring}"
                    f"/cryptoKeys/{k['name']}"
                )
                body: dict[str, Any] = {
                    "name": name,
                    "purpose": k.get("purpose", "ENCRYPT_DECRYPT"),
                    "createTime": CREATED,
                    "versionTemplate": {
                        "protectionLevel": "SOFTWARE",
                        "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
                    },
                }
                state = k.get("primary_state", "ENABLED")
                if body["purpose"] == "ENCRYPT_DECRYPT" and state:
                    body["primary"] = {
                        "name": f"{name}/cryptoKeyVersions/1",
                        "state": state,
                        "createTime": CREATED,
                    }
                if k.get("rotation_period"):
                    body["rotationPeriod"] = k["rotation_period"]
                    body["nextRotationTime"] = "2030-01-01T00:00:00Z"
                items.append(body)
        return self._page(request, items, "cryptoKeys", totalSize=len(items))
