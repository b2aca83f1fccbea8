"""Fixtures of the ``files`` provider: read a local folder of policies and records.

Each fixture reads files only; nothing here judges. A file that cannot be parsed
still yields a resource, carrying its problems, so one bad file (or one bad row)
never hides the others: the checks that read it turn the problems into ``error``
findings naming the file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TypeVar

from pydantic import ValidationError

from soc2checks import Config, ConfigError, resource, scope
from soc2checks_files._parse import (
    Fields,
    Item,
    Table,
    first_heading,
    headings,
    parse_csv_table,
    parse_front_matter,
    parse_yaml_table,
    read_text,
)
from soc2checks_files.models import (
    FilesRoot,
    FilesSettings,
    PolicyDocument,
    Problem,
    Record,
    Risk,
    RiskRegister,
    Vendor,
    VendorInventory,
    normalize_id,
)

_TABLE_SUFFIXES = (".csv", ".yaml", ".yml")
T = TypeVar("T")


def files_settings(config: Config) -> FilesSettings:
    """The validated ``[files]`` settings (validated here too when the engine did not)."""
    settings = config.settings("files")
    if isinstance(settings, FilesSettings):
        return settings
    try:
        return FilesSettings.model_validate(config.section("files"))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "files"
        raise ConfigError(f"{config.source}: files.{key}: {first['msg']}") from None


@scope(
    "files_root",
    level="folder",
    description="The folder of policies and records ([files] path, default 'compliance').",
)
def files_root(config: Config) -> list[FilesRoot]:
    """The folder of policies and records named by ``[files] path``."""
    settings = files_settings(config)
    return [
        FilesRoot(
            folder=settings.path,
            path=str(config.resolve_path(settings.path)),
            policies=settings.policies,
            risk_register=settings.risk_register,
            records=settings.records,
            vendors=settings.vendors,
            config_file=config.source,
        )
    ]


def require_folder(root: FilesRoot) -> Path:
    """The folder as a path; :class:`FileNotFoundError` naming the setting if missing."""
    path = Path(root.path)
    if not path.is_dir():
        raise FileNotFoundError(root.missing_message())
    return path


def _markdown_files(folder: Path) -> list[Path]:
    """Markdown files under ``folder``, sorted; skips README.md and names starting with
    ``_`` or ``.`` (templates, drafts kept aside, hidden files)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*.md"):
        parts = path.relative_to(folder).parts
        if any(part.startswith(("_", ".")) for part in parts):
            continue
        if path.name.lower() == "readme.md" or not path.is_file():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _relative(root_path: Path, path: Path) -> str:
    return path.relative_to(root_path).as_posix()


@resource(
    "files_policies",
    scope="folder",
    resource_type="files:policy",
    description="Policy documents: Markdown files with YAML front matter under policies/.",
)
def files_policies(files_root: FilesRoot) -> list[PolicyDocument]:
    """Every policy document, parsed; a malformed one carries its problems."""
    root_path = require_folder(files_root)
    if not files_root.policies:
        return []
    policies: list[PolicyDocument] = []
    for path in _markdown_files(root_path / files_root.policies):
        rel = _relative(root_path, path)
        display = files_root.display(rel)
        text, problems = read_text(path, display)
        if text is None:
            policies.append(
                PolicyDocument(
                    resource_id=rel, path=display, id=normalize_id(path.stem), problems=problems
                )
            )
            continue
        fm = parse_front_matter(text, display)
        problems = list(fm.problems)
        fields = Fields(fm.entries, display, problems)
        declared_id = fields.text("id")
        policies.append(
            PolicyDocument(
                resource_id=rel,
                path=display,
                id=normalize_id(declared_id or path.stem),
                title=fields.text("title") or first_heading(fm.body),
                owner=fields.text("owner"),
                approved_by=fields.text("approved_by"),
                version=fields.text("version"),
                last_reviewed=fields.date("last_reviewed"),
                status=fields.text("status"),
                has_front_matter=fm.present,
                headings=headings(fm.body),
                other=fields.rest(
                    {"id", "title", "owner", "approved_by", "version", "last_reviewed", "status"}
                ),
                problems=problems,
            )
        )
    return policies


def _locate_table(root_path: Path, root: FilesRoot, name: str) -> tuple[list[str], list[str]]:
    """(names looked for, names found) for a register configured as ``name``."""
    if PurePosixPath(name).suffix.lower() in _TABLE_SUFFIXES:
        candidates = [name]
    else:
        candidates = [name + suffix for suffix in _TABLE_SUFFIXES]
    found = [c for c in candidates if (root_path / c).is_file()]
    return candidates, found


def _read_table(
    root: FilesRoot, root_path: Path, name: str, list_key: str, setting: str
) -> tuple[str, str, list[str], bool, str | None, Table]:
    """Find and parse a register: (resource_id, display, expected, found, format, table)."""
    expected, found = _locate_table(root_path, root, name)
    table = Table()
    if not found:
        return name, root.display(name), expected, False, None, table
    rel = PurePosixPath(found[0]).as_posix()
    display = root.display(rel)
    if len(found) > 1:
        table.problems.append(
            Problem(
                location=display,
                message=(
                    f"{' and '.join(root.display(f) for f in found)} all exist: keep one, "
                    f"or name one in [files] {setting}"
                ),
            )
        )
        return rel, display, expected, True, None, table
    text, problems = read_text(root_path / rel, display)
    if text is None:
        table.problems.extend(problems)
        return rel, display, expected, True, None, table
    if rel.lower().endswith(".csv"):
        return rel, display, expected, True, "csv", parse_csv_table(text, display)
    return rel, display, expected, True, "yaml", parse_yaml_table(text, display, list_key)


def _keyed_items(
    items: list[Item],
    rel: str,
    display: str,
    key: str,
    build: Callable[[str, Fields, list[Problem], Item], T],
) -> list[T]:
    """Build one resource per item; items share a key (``id``, ``name``) that must be
    unique: a repeated one is a problem of the later item."""
    out: list[T] = []
    seen: dict[str, int] = {}
    for item in items:
        problems = list(item.problems)
        fields = Fields(item.entries, display, problems)
        value = fields.text(key)
        resource_id = f"{rel}#{value}" if value else f"{rel}#line-{item.line}"
        if value is not None:
            if value in seen:
                problems.append(
                    Problem(
                        location=f"{display}:{item.line}",
                        message=f"{key} {value!r} is used twice (first on line {seen[value]})",
                    )
                )
                resource_id = f"{rel}#line-{item.line}"
            else:
                seen[value] = item.line
        out.append(build(resource_id, fields, problems, item))
    return out


@resource(
    "files_risk_register",
    scope="folder",
    resource_type="files:risk-register",
    description="The risk register (risk-register.csv or .yaml) with its risks.",
)
def files_risk_register(files_root: FilesRoot) -> RiskRegister:
    """The risk register, found and parsed; ``found=False`` when there is none."""
    root_path = require_folder(files_root)
    if not files_root.risk_register:
        return RiskRegister(resource_id="risk-register", path=files_root.display(""), enabled=False)
    rel, display, expected, found, fmt, table = _read_table(
        files_root, root_path, files_root.risk_register, "risks", "risk_register"
    )
    problems = list(table.problems)
    meta = Fields(table.meta, display, problems)

    def build(resource_id: str, fields: Fields, item_problems: list[Problem], item: Item) -> Risk:
        return Risk(
            resource_id=resource_id,
            path=display,
            line=item.line,
            id=fields.text("id"),
            title=fields.text("title"),
            owner=fields.text("owner"),
            likelihood=fields.text("likelihood"),
            impact=fields.text("impact"),
            treatment=fields.text("treatment"),
            status=fields.text("status"),
            other=fields.rest(
                {"id", "title", "owner", "likelihood", "impact", "treatment", "status"}
            ),
            problems=item_problems,
        )

    return RiskRegister(
        resource_id=rel,
        path=display,
        found=found,
        format=fmt,
        last_reviewed=meta.date("last_reviewed"),
        owner=meta.text("owner"),
        approved_by=meta.text("approved_by"),
        expected=[files_root.display(e) for e in expected],
        risks=_keyed_items(table.items, rel, display, "id", build),
        problems=problems,
    )


@resource(
    "files_risks",
    scope="folder",
    resource_type="files:risk",
    description="Each risk of the risk register.",
)
def files_risks(files_risk_register: RiskRegister) -> list[Risk]:
    """The risks of the register (none when there is no register)."""
    return list(files_risk_register.risks)


@resource(
    "files_records",
    scope="folder",
    resource_type="files:record",
    description="Dated records (DR tests, IR exercises, ...): Markdown with front matter.",
)
def files_records(files_root: FilesRoot) -> list[Record]:
    """Every record under ``records/``, parsed; a malformed one carries its problems."""
    root_path = require_folder(files_root)
    if not files_root.records:
        return []
    records: list[Record] = []
    for path in _markdown_files(root_path / files_root.records):
        rel = _relative(root_path, path)
        display = files_root.display(rel)
        text, problems = read_text(path, display)
        if text is None:
            records.append(Record(resource_id=rel, path=display, problems=problems))
            continue
        fm = parse_front_matter(text, display)
        problems = list(fm.problems)
        if not fm.present:
            problems.append(
                Problem(
                    location=f"{display}:1",
                    message="has no YAML front matter: a record starts with a '---' line, "
                    "then type, date, participants and outcome",
                )
            )
        fields = Fields(fm.entries, display, problems)
        record_type = fields.text("type")
        if fm.present and not fm.problems and record_type is None and "type" not in fm.entries:
            problems.append(
                Problem(
                    location=f"{display}:1",
                    message="front matter has no 'type' (such as disaster-recovery-test)",
                    key="type",
                )
            )
        records.append(
            Record(
                resource_id=rel,
                path=display,
                type=normalize_id(record_type) if record_type else None,
                title=fields.text("title") or first_heading(fm.body),
                date=fields.date("date"),
                participants=fields.names("participants"),
                outcome=fields.text("outcome"),
                other=fields.rest({"type", "title", "date", "participants", "outcome"}),
                problems=problems,
            )
        )
    return records


@resource(
    "files_vendor_inventory",
    scope="folder",
    resource_type="files:vendor-inventory",
    description="The vendor inventory (vendors.csv or .yaml) with its vendors.",
)
def files_vendor_inventory(files_root: FilesRoot) -> VendorInventory:
    """The vendor inventory, found and parsed; ``found=False`` when there is none."""
    root_path = require_folder(files_root)
    if not files_root.vendors:
        return VendorInventory(resource_id="vendors", path=files_root.display(""), enabled=False)
    rel, display, expected, found, fmt, table = _read_table(
        files_root, root_path, files_root.vendors, "vendors", "vendors"
    )
    problems = list(table.problems)
    meta = Fields(table.meta, display, problems)

    def build(resource_id: str, fields: Fields, item_problems: list[Problem], item: Item) -> Vendor:
        return Vendor(
            resource_id=resource_id,
            path=display,
            line=item.line,
            name=fields.text("name"),
            owner=fields.text("owner"),
            criticality=fields.text("criticality"),
            last_reviewed=fields.date("last_reviewed"),
            status=fields.text("status"),
            other=fields.rest({"name", "owner", "criticality", "last_reviewed", "status"}),
            problems=item_problems,
        )

    return VendorInventory(
        resource_id=rel,
        path=display,
        found=found,
        format=fmt,
        last_reviewed=meta.date("last_reviewed"),
        owner=meta.text("owner"),
        expected=[files_root.display(e) for e in expected],
        vendors=_keyed_items(table.items, rel, display, "name", build),
        problems=problems,
    )


@resource(
    "files_vendors",
    scope="folder",
    resource_type="files:vendor",
    description="Each vendor of the vendor inventory.",
)
def files_vendors(files_vendor_inventory: VendorInventory) -> list[Vendor]:
    """The vendors of the inventory (none when there is no inventory)."""
    return list(files_vendor_inventory.vendors)
