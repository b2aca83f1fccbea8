"""A small stateful estate for the store tests: a provider and a control over a world dict.

Tests change ``WORLD`` between runs (users appear, lose MFA, get fixed; an account's
listing is denied) and run the real engine over it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from soc2checks import control, resource, scope

WORLD: dict[str, Any] = {"accounts": {}, "denied": set()}


def reset(accounts: dict[str, dict[str, bool]]) -> None:
    WORLD["accounts"] = {a: dict(users) for a, users in accounts.items()}
    WORLD["denied"] = set()


class Account(BaseModel):
    id: str

    @property
    def scope_key(self) -> dict[str, str]:
        return {"account": self.id}

    @property
    def resource_id(self) -> str:
        return self.id


class User(BaseModel):
    name: str
    mfa: bool
    arn: str
    tags: dict[str, str] = {}

    @property
    def resource_id(self) -> str:
        return self.arn


@scope("estate_accounts", level="account", provider="estate")
def estate_accounts(config: object) -> list[Account]:
    return [Account(id=a) for a in sorted(WORLD["accounts"])]


@resource(
    "estate_users",
    scope="account",
    provider="estate",
    resource_type="Estate::User",
    permissions=["iam:ListUsers"],
)
def estate_users(estate_accounts: Account) -> list[User]:
    if estate_accounts.id in WORLD["denied"]:
        raise PermissionError(f"AccessDenied: iam:ListUsers on {estate_accounts.id}")
    users = WORLD["accounts"][estate_accounts.id]
    return [
        User(name=n, mfa=m, arn=f"arn:estate:{estate_accounts.id}:user/{n}", tags={"team": "x"})
        for n, m in sorted(users.items())
    ]


mfa = control("estate-mfa", criteria=["CC6.1"], title="Estate MFA")


@mfa.check("estate.user.mfa", over="estate_users", severity="high")
def user_mfa(user: User) -> None:
    """Users have MFA."""
    assert user.mfa, f"{user.name} has no MFA"
