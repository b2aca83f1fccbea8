"""A small, bounded mutation pass: one AST mutation at a time, run a test subset.

Usage (from the repository root)::

    python tools/mutate.py FILE [FILE ...] --tests "tests/github tests/files" --budget 600

Each mutant rewrites FILE in place, runs ``python -m pytest -x -q -p no:xdist TESTS`` and
restores FILE (also on Ctrl-C). Surviving mutants are printed as ``file:line: mutation``.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

_CMP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BOOL = {ast.And: ast.Or, ast.Or: ast.And}
_NAMES = {"max": "min", "min": "max", "any": "all", "all": "any"}


def _mutants(tree: ast.AST) -> Iterator[tuple[ast.AST, str, object]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _CMP:
                    yield node, f"{type(op).__name__} -> {_CMP[type(op)].__name__}", ("cmp", i)
        elif isinstance(node, ast.BoolOp) and type(node.op) in _BOOL:
            yield node, f"{type(node.op).__name__} -> {_BOOL[type(node.op)].__name__}", ("bool",)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "drop not", ("not",)
        elif isinstance(node, ast.Name) and node.id in _NAMES:
            yield node, f"{node.id} -> {_NAMES[node.id]}", ("name",)
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield node, f"{node.value} -> {node.value + 1}", ("int",)
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            yield node, f"{node.value} -> {not node.value}", ("boolc",)
        elif isinstance(node, ast.Continue):
            yield node, "continue -> pass", ("cont",)


def _apply(node: ast.AST, how: tuple[object, ...]) -> object:
    """Mutate ``node`` in place; return an undo token."""
    kind = how[0]
    if kind == "cmp":
        assert isinstance(node, ast.Compare)
        i = int(str(how[1]))
        old = node.ops[i]
        node.ops[i] = _CMP[type(old)]()
        return old
    if kind == "bool":
        assert isinstance(node, ast.BoolOp)
        old_b = node.op
        node.op = _BOOL[type(old_b)]()
        return old_b
    if kind == "name":
        assert isinstance(node, ast.Name)
        old_n = node.id
        node.id = _NAMES[old_n]
        return old_n
    if kind == "int":
        assert isinstance(node, ast.Constant)
        old_v = node.value
        node.value = old_v + 1
        return old_v
    if kind == "boolc":
        assert isinstance(node, ast.Constant)
        old_c = node.value
        node.value = not old_c
        return old_c
    return None


def _source_with(path: Path, tree: ast.Module, node: ast.AST, how: tuple[object, ...]) -> str:
    kind = how[0]
    if kind in ("not", "cont"):
        # textual edits keep the rest of the file byte-identical
        lines = path.read_text().splitlines(keepends=True)
        ln = node.lineno - 1
        col, end = node.col_offset, node.end_col_offset
        line = lines[ln]
        if kind == "not":
            assert isinstance(node, ast.UnaryOp)
            seg = ast.get_source_segment(path.read_text(), node.operand) or ""
            lines[ln] = line[:col] + f"({seg})" + line[end:]
            if node.end_lineno != node.lineno:
                return ""
        else:
            lines[ln] = line[:col] + "pass" + line[end:]
        return "".join(lines)
    undo = _apply(node, how)
    try:
        return ast.unparse(tree)
    finally:
        _undo(node, how, undo)


def _undo(node: ast.AST, how: tuple[object, ...], undo: object) -> None:
    kind = how[0]
    if kind == "cmp":
        assert isinstance(node, ast.Compare)
        node.ops[int(str(how[1]))] = undo  # type: ignore[assignment]
    elif kind == "bool":
        node.op = undo  # type: ignore[attr-defined]
    elif kind == "name":
        node.id = undo  # type: ignore[attr-defined]
    elif kind in ("int", "boolc"):
        node.value = undo  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--tests", required=True)
    ap.add_argument("--budget", type=float, default=600.0, help="seconds of wall time")
    args = ap.parse_args()
    start = time.monotonic()
    survivors: list[str] = []
    killed = tried = 0
    for path in args.files:
        original = path.read_text()
        tree = ast.parse(original)
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        for node, label, how in list(_mutants(tree)):
            if id(node) in docstrings:
                continue
            if time.monotonic() - start > args.budget:
                print(f"budget spent: {tried} tried, {killed} killed", flush=True)
                break
            try:
                text = _source_with(path, tree, node, how)  # type: ignore[arg-type]
                if not text:
                    continue
                path.write_text(text)
                rc = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "pytest",
                        "-x",
                        "-q",
                        "-p",
                        "no:xdist",
                        *args.tests.split(),
                    ],
                    capture_output=True,
                    timeout=300,
                ).returncode
            finally:
                path.write_text(original)
            tried += 1
            where = f"{path}:{getattr(node, 'lineno', '?')}: {label}"
            if rc == 0:
                survivors.append(where)
                print(f"SURVIVED {where}", flush=True)
            else:
                killed += 1
                print(f"killed   {where}", flush=True)
    print(f"\n{tried} mutants, {killed} killed, {len(survivors)} survived")
    for s in survivors:
        print(f"  {s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
