"""Cloud Storage fixtures: buckets with their IAM policies.

Requests per project: one ``buckets.list`` per page (``projection=noAcl``: the listing
already carries ``iamConfiguration``, versioning and retention, so no per-bucket
metadata request), and one ``buckets.getIamPolicy`` per bucket, only when a selected
check reads the policy. A project with the Storage API disabled has no buckets: the
checks skip it.
"""

from __future__ import annotations

from typing import Any

from soc2checks import resource, skip
from soc2checks.fetching import bounded_map
from soc2checks_gcp.clients import GcpClients
from soc2checks_gcp.errors import GcpError, GcpServiceDisabled
from soc2checks_gcp.models import Bucket, GcpProject, IamBinding

BUCKETS_LIST = "storage.buckets.list"
BUCKET_IAM = "storage.buckets.getIamPolicy"


def parse_bucket(project_id: str, props: dict[str, Any]) -> Bucket:
    """A bucket resource of the JSON API as a :class:`Bucket`."""
    iam = props.get("iamConfiguration")
    uniform = (iam or {}).get("uniformBucketLevelAccess", {}).get("enabled") if iam else None
    pap = (iam or {}).get("publicAccessPrevention") if iam else None
    retention = (props.get("retentionPolicy") or {}).get("retentionPeriod")
    return Bucket(
        project_id=project_id,
        name=props["name"],
        uniform_access=uniform,
        public_access_prevention=pap,
        versioning=bool((props.get("versioning") or {}).get("enabled", False)),
        retention_seconds=int(retention) if retention else None,
    )


def _list(gcp_project: GcpProject, clients: GcpClients) -> list[Any]:
    client = clients.storage()
    where = f"projects/{gcp_project.project_id}"
    try:
        listed: list[Any] = clients.call(
            lambda: list(
                client.list_buckets(project=gcp_project.project_id, projection="noAcl", retry=None)
            ),
            BUCKETS_LIST,
            where,
        )
    except GcpServiceDisabled as exc:
        skip(f"no buckets: {exc}")
    # google-cloud-storage 3.x fetches each bucket's metadata in a background thread, for
    # its tracing spans, the first time a bucket is used; the listing already has it, so
    # hand it over instead of paying one more request per bucket.
    cache = getattr(client, "_bucket_metadata_cache", None)
    if cache is not None and hasattr(cache, "update_from_bucket"):
        for b in listed:
            cache.update_from_bucket(b)
    return listed


@resource(
    "gcp_buckets",
    scope="project",
    permissions=[BUCKETS_LIST],
    resource_type="GCP::Storage::Bucket",
)
def gcp_buckets(gcp_project: GcpProject, gcp_clients: GcpClients) -> list[Bucket]:
    """The project's buckets (configuration only)."""
    listed = _list(gcp_project, gcp_clients)
    return sorted(
        (parse_bucket(gcp_project.project_id, b._properties) for b in listed),
        key=lambda b: b.name,
    )


@resource(
    "gcp_buckets_with_iam",
    scope="project",
    permissions=[BUCKETS_LIST, BUCKET_IAM],
    resource_type="GCP::Storage::Bucket",
)
def gcp_buckets_with_iam(gcp_buckets: list[Bucket], gcp_clients: GcpClients) -> list[Bucket]:
    """The project's buckets with their IAM policies (one request per bucket)."""
    client = gcp_clients.storage()

    def with_policy(bucket: Bucket) -> Bucket:
        handle = client.bucket(bucket.name)  # no request: only the IAM call below
        try:
            policy = gcp_clients.call(
                lambda: handle.get_iam_policy(retry=None), BUCKET_IAM, f"buckets/{bucket.name}"
            )
        except GcpError as exc:
            return bucket.model_copy(update={"iam_error": str(exc)})
        bindings = tuple(
            IamBinding(
                role=x["role"],
                members=tuple(sorted(x.get("members") or ())),
                condition=(x.get("condition") or {}).get("title"),
            )
            for x in policy.bindings
        )
        return bucket.model_copy(update={"iam_bindings": bindings})

    return bounded_map(with_policy, gcp_buckets, gcp_clients.settings.max_workers, name="gcp-iam")
