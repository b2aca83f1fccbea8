"""The records fixture of the ``files`` provider: every declared record type, read once."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_files._read_records import read_record_book
from soc2checks_files.fixtures import require_folder
from soc2checks_files.models import FilesRoot
from soc2checks_files.records import RecordBook, collect_record_types


@resource(
    "files_record_book",
    scope="folder",
    resource_type="files:record-book",
    description="Tabular records (CSV, YAML, JSON) of every declared record type.",
)
def files_record_book(files_root: FilesRoot, hook: Any) -> RecordBook:
    """Every record type the plugins declare (``soc2checks_record_types``), read once."""
    root_path = require_folder(files_root)
    types = collect_record_types(hook.soc2checks_record_types())
    return read_record_book(files_root, root_path, types)
