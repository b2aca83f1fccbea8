"""Cloud KMS fixtures: symmetric keys and their rotation (REST client).

Requests per project: ``locations.list`` (unless ``[gcp] kms_locations`` lists them),
one ``keyRings.list`` per location, one ``cryptoKeys.list`` per key ring. A project
with the Cloud KMS API disabled has no keys: the checks skip it.
"""

from __future__ import annotations

import functools
from typing import Any

from soc2checks import resource, skip
from soc2checks.fetching import bounded_map
from soc2checks_gcp.clients import GcpClients
from soc2checks_gcp.clients import first_page as _first_page
from soc2checks_gcp.errors import GcpServiceDisabled
from soc2checks_gcp.models import CryptoKey, GcpProject

LOCATIONS_LIST = "cloudkms.locations.list"
KEYRINGS_LIST = "cloudkms.keyRings.list"
KEYS_LIST = "cloudkms.cryptoKeys.list"


def _enum_name(value: Any) -> str:
    """A proto-plus enum's name (``ENABLED``), whatever number it has."""
    return str(getattr(value, "name", value))


def _pages(
    clients: GcpClients,
    method: Any,
    request: dict[str, Any],
    field: str,
    permission: str,
    where: str,
) -> list[Any]:
    out: list[Any] = []
    token = ""
    while True:
        req = {**request, "page_token": token}
        page = clients.call(functools.partial(_first_page, method, req), permission, where)
        out.extend(getattr(page, field))
        token = page.next_page_token
        if not token:
            return out


def _locations(clients: GcpClients, project_id: str) -> list[str]:
    configured = clients.settings.kms_locations
    if configured != "all":
        return list(configured)
    from google.cloud.location import locations_pb2

    client = clients.kms()
    where = f"projects/{project_id}"
    out: list[str] = []
    token = ""
    while True:
        req = locations_pb2.ListLocationsRequest(name=where, page_token=token)
        page = clients.call(functools.partial(client.list_locations, req), LOCATIONS_LIST, where)
        out.extend(loc.location_id for loc in page.locations)
        token = page.next_page_token
        if not token:
            return sorted(out)


@resource(
    "gcp_kms_keys",
    scope="project",
    permissions=[LOCATIONS_LIST, KEYRINGS_LIST, KEYS_LIST],
    resource_type="GCP::KMS::CryptoKey",
)
def gcp_kms_keys(gcp_project: GcpProject, gcp_clients: GcpClients) -> list[CryptoKey]:
    """Every CryptoKey of every key ring of the project, in every KMS location."""
    client = gcp_clients.kms()
    pid = gcp_project.project_id

    def rings(loc: str) -> list[str]:
        parent = f"projects/{pid}/locations/{loc}"
        return [
            r.name
            for r in _pages(
                gcp_clients,
                client.list_key_rings,
                {"parent": parent},
                "key_rings",
                KEYRINGS_LIST,
                parent,
            )
        ]

    def keys(ring: str) -> list[CryptoKey]:
        found = _pages(
            gcp_clients, client.list_crypto_keys, {"parent": ring}, "crypto_keys", KEYS_LIST, ring
        )
        out = []
        for k in found:
            rotation = k.rotation_period.total_seconds() if k.rotation_period else None
            primary = _enum_name(k.primary.state) if k.primary and k.primary.name else None
            out.append(
                CryptoKey(
                    project_id=pid,
                    name=k.name,
                    purpose=_enum_name(k.purpose),
                    primary_state=primary,
                    rotation_period_seconds=int(rotation) if rotation else None,
                )
            )
        return out

    workers = gcp_clients.settings.max_workers
    try:
        locations = _locations(gcp_clients, pid)
        ring_groups = bounded_map(rings, locations, workers, name="gcp-kms")
        all_rings = sorted(r for group in ring_groups for r in group)
        key_groups = bounded_map(keys, all_rings, workers, name="gcp-kms")
    except GcpServiceDisabled as exc:
        skip(f"no KMS keys: {exc}")
    found = [k for group in key_groups for k in group]
    return sorted(found, key=lambda k: k.name)
