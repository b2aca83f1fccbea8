"""A small in-memory provider and control pack used by the engine tests."""

from __future__ import annotations

import threading

from pydantic import BaseModel

from soc2checks import Finding, Status, control, resource, scope, skip


class Account(BaseModel):
    id: str

    @property
    def scope_key(self) -> dict[str, str]:
        return {"account": self.id}

    @property
    def resource_id(self) -> str:
        return f"acct:{self.id}"


class Region(BaseModel):
    account: str
    name: str

    @property
    def scope_key(self) -> dict[str, str]:
        return {"account": self.account, "region": self.name}

    @property
    def resource_id(self) -> str:
        return f"{self.account}/{self.name}"


class User(BaseModel):
    name: str
    mfa: bool
    console: bool = True

    @property
    def resource_id(self) -> str:
        return f"user:{self.name}"


class Volume(BaseModel):
    resource_id: str
    encrypted: bool
    resource_type: str = "Sample::Volume"


class Calls:
    """Counts fetches per scope key, thread-safely (the state lives in the test)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}

    def hit(self, key: str) -> None:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1


CALLS = Calls()
ACCOUNTS = ["111", "222", "denied"]


@scope("sample_account", level="account", provider="sample")
def sample_account(config: object) -> list[Account]:
    return [Account(id=a) for a in ACCOUNTS]


@scope("sample_region", level="region", provider="sample")
def sample_region(sample_account: Account) -> list[Region]:
    if sample_account.id == "denied":
        raise PermissionError("AccessDenied: ec2:DescribeRegions")
    return [Region(account=sample_account.id, name=r) for r in ("r1", "r2")]


@resource(
    "sample_users",
    scope="account",
    provider="sample",
    resource_type="Sample::User",
    permissions=["iam:ListUsers"],
)
def sample_users(sample_account: Account) -> list[User]:
    CALLS.hit(f"users:{sample_account.id}")
    if sample_account.id == "denied":
        raise PermissionError("AccessDenied: iam:ListUsers")
    return [
        User(name=f"{sample_account.id}-alice", mfa=True),
        User(name=f"{sample_account.id}-bob", mfa=False),
        User(name=f"{sample_account.id}-svc", mfa=False, console=False),
    ]


@resource("sample_volumes", scope="region", provider="sample", permissions=["ec2:DescribeVolumes"])
def sample_volumes(sample_region: Region) -> list[Volume]:
    CALLS.hit(f"volumes:{sample_region.resource_id}")
    return [
        Volume(resource_id=f"vol-{sample_region.resource_id}-a", encrypted=True),
        Volume(resource_id=f"vol-{sample_region.resource_id}-b", encrypted=False),
    ]


mfa = control("sample-mfa", criteria=["CC6.1"], title="Sample MFA")
enc = control("sample-encryption", criteria=["CC6.1", "C1.1"], title="Sample encryption")
avail = control("sample-availability", criteria=["A1.2"], title="Sample availability")


@mfa.check("sample.user.mfa", over="sample_users", severity="high", remediation="Enable MFA.")
def user_mfa(user: User) -> None:
    """Console users have MFA."""
    if not user.console:
        skip("no console access")
    assert user.mfa, f"{user.name} has no MFA"


@mfa.check("sample.account.user-count")
def user_count(sample_users: list[User], max_users: int = 5) -> None:
    """An account has few users."""
    assert len(sample_users) <= max_users, f"{len(sample_users)} users > {max_users}"


@enc.check("sample.volume.encrypted", over="sample_volumes")
def volume_encrypted(volume: Volume) -> None:
    """Volumes are encrypted."""
    assert volume.encrypted, f"{volume.resource_id} is not encrypted"


@avail.check("sample.region.volumes-exist", evidence=["name"])
def region_has_volumes(sample_region: Region, sample_volumes: list[Volume]) -> None:
    """Every region has volumes."""
    assert sample_volumes


@avail.check("sample.user.generator", over="sample_users")
def generator_check(user: User):  # type: ignore[no-untyped-def]
    """Yields its own findings."""
    yield Finding(status=Status.PASS, message=f"checked {user.name}")
    if user.name.endswith("bob"):
        raise RuntimeError("boom after one finding")
