"""Helpers for the ``files`` provider tests: example folders built in ``tmp_path``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from soc2checks import Config
from soc2checks._config import load_config
from soc2checks_files import fixtures
from soc2checks_files.models import (
    FilesRoot,
    PolicyDocument,
    Record,
    Risk,
    RiskRegister,
    Vendor,
    VendorInventory,
    utc_today,
)


def ago(days: int) -> str:
    """The ISO date ``days`` before today (UTC); negative for the future."""
    return (utc_today() - dt.timedelta(days=days)).isoformat()


def front_matter(**fields: Any) -> str:
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(value)}]")
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n"


class Folder:
    """A project folder with a ``soc2checks.toml`` and a compliance folder."""

    def __init__(self, project: Path, files_table: str = "") -> None:
        self.project = project
        self.root = project / "compliance"
        self.root.mkdir(parents=True, exist_ok=True)
        self.set_config(files_table)

    def set_config(self, files_table: str = "", extra: str = "") -> None:
        text = 'providers = ["files"]\n' + extra
        if files_table:
            text += "\n[files]\n" + files_table + "\n"
        (self.project / "soc2checks.toml").write_text(text, encoding="utf-8")

    @property
    def config_path(self) -> Path:
        return self.project / "soc2checks.toml"

    @property
    def config(self) -> Config:
        return load_config(self.config_path)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def policy(self, name: str, body: str = "", **fields: Any) -> Path:
        defaults: dict[str, Any] = {
            "owner": "Dana Whitfield",
            "approved_by": "Sam Okafor",
            "version": "1.0",
            "last_reviewed": ago(30),
        }
        defaults.update(fields)
        defaults = {k: v for k, v in defaults.items() if v is not None}
        text = front_matter(**defaults) + "\n" + (body or f"# {name}\n\nText.\n")
        return self.write(f"policies/{name}.md", text)

    def record(self, name: str, body: str = "", **fields: Any) -> Path:
        defaults: dict[str, Any] = {
            "participants": ["Ana", "Ben"],
            "outcome": "passed",
        }
        defaults.update(fields)
        defaults = {k: v for k, v in defaults.items() if v is not None}
        return self.write(f"records/{name}.md", front_matter(**defaults) + "\n" + body)

    # fixtures, called as the engine would call them
    def files_root(self) -> FilesRoot:
        (root,) = fixtures.files_root(self.config)
        return root

    def policies(self) -> list[PolicyDocument]:
        return fixtures.files_policies(self.files_root())

    def register(self) -> RiskRegister:
        return fixtures.files_risk_register(self.files_root())

    def risks(self) -> list[Risk]:
        return fixtures.files_risks(self.register())

    def records(self) -> list[Record]:
        return fixtures.files_records(self.files_root())

    def inventory(self) -> VendorInventory:
        return fixtures.files_vendor_inventory(self.files_root())

    def vendors(self) -> list[Vendor]:
        return fixtures.files_vendors(self.inventory())

    def one(self, items: list[Any], resource_id: str) -> Any:
        found = [i for i in items if i.resource_id == resource_id]
        assert len(found) == 1, [i.resource_id for i in items]
        return found[0]


@pytest.fixture
def folder(tmp_path: Path) -> Folder:
    return Folder(tmp_path / "project")


@pytest.fixture
def make_folder(tmp_path: Path) -> Callable[..., Folder]:
    def make(name: str = "project", files_table: str = "") -> Folder:
        return Folder(tmp_path / name, files_table)

    return make
