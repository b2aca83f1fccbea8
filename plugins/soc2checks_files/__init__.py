"""The ``files`` provider: policies, the risk register, records and vendors from a folder.

Cloud APIs cannot evidence CC1 to CC5, CC9 and most of Privacy; documents and records
do. This plugin reads a local folder (``[files] path``, default ``compliance``)::

    compliance/
      policies/*.md          policy documents, Markdown with YAML front matter
      risk-register.csv      the risk register (or risk-register.yaml)
      records/*.md           dated records: DR tests, incident-response exercises, ...
      records/*.csv|yaml|json  tabular records: the roster, training, DSARs, ... (see
                             :mod:`soc2checks_files.records`)
      vendors.csv            the vendor inventory (or vendors.yaml)

Fixtures live in :mod:`soc2checks_files.fixtures`, models in
:mod:`soc2checks_files.models`; the checks are in the first-party control pack. See
``docs/providers/files.md`` for the file formats.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from soc2checks import Provider, hookimpl
from soc2checks_files.models import FilesSettings

__all__ = [
    "FilesSettings",
    "soc2checks_record_types",
    "soc2checks_register_providers",
    "soc2checks_register_resources",
]


@hookimpl
def soc2checks_register_providers() -> list[Provider]:
    return [
        Provider(
            name="files",
            title="Policies and records in a local folder",
            settings=FilesSettings,
            evidence="records",
            document_fixtures=("files_policies",),
        )
    ]


@hookimpl
def soc2checks_register_resources() -> list[ModuleType]:
    return [
        importlib.import_module("soc2checks_files.fixtures"),
        importlib.import_module("soc2checks_files.record_fixtures"),
    ]


@hookimpl
def soc2checks_record_types() -> list[object]:
    from soc2checks_files.record_types import RECORD_TYPES

    return list(RECORD_TYPES)
