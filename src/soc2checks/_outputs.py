"""Where ``soc2checks run`` writes: formats, their files and the baseline, checked up front.

Every output is checked before the run starts, so a typo in a path costs one line and
exit 2, never a finished run whose report cannot be written:

- at most one format writes to standard output (two would interleave, and a piped JSON
  document would no longer parse);
- no two outputs write to the same file;
- a path that is a folder, or that cannot be written, is a usage error; missing parent
  folders are created, as they would be when the report is written.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from soc2checks._errors import UsageError


@dataclass(frozen=True)
class Output:
    """One ``--format NAME[:PATH]``: the format's name and its file (``None``: stdout)."""

    format: str
    path: str | None


def parse_outputs(formats: Sequence[str] | None, output: str | None) -> list[Output]:
    """The outputs of ``--format`` values and ``--output``, in the order given."""
    outs: list[Output] = []
    for spec in formats or ["table"]:
        name, sep, path = spec.partition(":")
        if not name:
            raise UsageError(f"--format '{spec}': give a format name, such as json:{path}")
        if sep and not path:
            raise UsageError(f"--format '{spec}': give a file after ':', such as {name}:report")
        outs.append(Output(name, path if sep else None))
    bare = [i for i, o in enumerate(outs) if o.path is None]
    if output:
        if len(bare) != 1:
            raise UsageError("--output needs exactly one --format without ':PATH'")
        outs[bare[0]] = Output(outs[bare[0]].format, output)
        bare = []
    if len(bare) > 1:
        names = " and ".join(outs[i].format for i in bare)
        first = outs[bare[1]].format
        raise UsageError(
            f"formats {names} would both write to standard output: give all but one a "
            f"file, such as -f {first}:report.{first}"
        )
    return outs


def check_writable(paths: Sequence[tuple[str, str]]) -> None:
    """Refuse outputs that cannot be written; create missing parent folders.

    ``paths`` are (what, path) pairs, such as ``("-f json", "reports/f.json")``.
    """
    seen: dict[str, str] = {}
    for what, path in paths:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            raise UsageError(f"{seen[key]} and {what} would both write to {path}: use two files")
        seen[key] = what
    for what, path in paths:
        _check_one(what, Path(path), names_folder=path.endswith(("/", os.sep)))


def _check_one(what: str, path: Path, *, names_folder: bool = False) -> None:
    if names_folder or path.is_dir():
        raise UsageError(f"{what}: {path} is a folder; give a file name, such as {path / 'report'}")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(
            f"{what}: cannot write {path}: a part of {parent} is a file, not a folder"
        ) from None
    except OSError as exc:
        raise UsageError(f"{what}: cannot create the folder {parent}: {_reason(exc)}") from None
    existed = path.exists()
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"{what}: cannot write {path}: {_reason(exc)}") from None
    if not existed:
        path.unlink()


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
