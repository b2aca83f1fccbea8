"""The ``soc2checks`` command line.

Exit codes (also in ``--help`` and the README):

    0  the gate passed and every check could judge
    1  the gate failed (failures, regressions or, with --fail-on error, errors)
    2  usage, config or plugin-load error (nothing was judged)
    3  the gate passed but some checks could not judge (error findings; with a
       baseline, only errors not already in it)
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from soc2checks import _cli_store

if TYPE_CHECKING:
    from soc2checks._engine import Prepared
    from soc2checks._model import RunResult
    from soc2checks._plugins import LoadedPlugin

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_ERRORS = 0, 1, 2, 3

EXIT_CODES_HELP = """exit codes:
  0  the gate passed and every check could judge
  1  the gate failed (failures; regressions with --baseline; errors too with --fail-on error)
  2  usage, config or plugin-load error: nothing was judged
  3  the gate passed but some checks could not judge (error findings; with --baseline,
     only errors not already in the baseline). --fail-on never exits 0 except for 2.
"""

PLUGIN_COMMANDS = ("run", "permissions", "demo")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2
        self.exit(EXIT_USAGE, f"soc2checks: error: {message} (see '{self.prog} --help')\n")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config",
        "-c",
        metavar="PATH",
        help="config file (default: ./soc2checks.toml or [tool.soc2checks] in ./pyproject.toml)",
    )
    p.add_argument(
        "-p",
        dest="plugin_args",
        action="append",
        default=[],
        metavar="NAME",
        help="load plugin NAME explicitly; -p no:NAME blocks it",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks for errors")


def _selection(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("selection")
    g.add_argument(
        "--check",
        dest="checks",
        action="append",
        metavar="GLOB",
        help="check ID glob ('*' also matches dots: 'aws.*'); repeatable",
    )
    g.add_argument(
        "--provider",
        dest="providers",
        action="append",
        metavar="NAME",
        help="only checks of this provider; repeatable",
    )
    g.add_argument(
        "--control",
        dest="controls",
        action="append",
        metavar="ID",
        help="only checks of this control (glob); repeatable",
    )
    g.add_argument(
        "--criteria",
        dest="criteria",
        action="append",
        metavar="ID",
        help="only checks mapped to this criterion (CC6.1, or a glob CC6.*); repeatable",
    )
    g.add_argument(
        "--category",
        dest="categories",
        action="append",
        metavar="NAME",
        help="security|availability|processing-integrity|confidentiality|privacy; repeatable",
    )


def build_parser() -> argparse.ArgumentParser:
    from soc2checks import __version__

    parser = _Parser(
        prog="soc2checks",
        description="SOC 2 compliance as code: run checks mapped to the Trust Services Criteria.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"soc2checks {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = sub.add_parser(
        "run",
        help="run checks and report",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(run)
    _selection(run)
    out = run.add_argument_group("output")
    out.add_argument(
        "--format",
        "-f",
        dest="formats",
        action="append",
        metavar="NAME[:PATH]",
        help="output format (table, json, markdown, junit, sarif, html, ...); repeatable; "
        "':PATH' writes to a file",
    )
    out.add_argument(
        "--output", "-o", metavar="PATH", help="file for the one format given without ':PATH'"
    )
    out.add_argument(
        "--failures-only", action="store_true", help="table: show only failures and errors"
    )
    out.add_argument(
        "--verbose", "-v", action="store_true", help="table: list passing findings too"
    )
    out.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    gate = run.add_argument_group("CI gate")
    gate.add_argument(
        "--fail-on",
        choices=["fail", "regression", "error", "never"],
        help="what fails the run (default: fail, or regression with --baseline)",
    )
    gate.add_argument(
        "--baseline", metavar="PATH", help="fail only on failures not in this baseline"
    )
    gate.add_argument(
        "--write-baseline",
        metavar="PATH",
        help="record the current failures and errors as a baseline",
    )
    run.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="concurrent fetches and checks (default 16)"
    )
    _cli_store.add_run_options(run)

    lst = sub.add_parser("list", help="list checks, controls, criteria, plugins or resources")
    lst.add_argument("what", choices=["checks", "controls", "criteria", "plugins", "resources"])
    _common(lst)
    _selection(lst)

    ex = sub.add_parser(
        "explain", help="explain one check: what, why, criteria, parameters, permissions"
    )
    ex.add_argument("check_id", metavar="CHECK_ID")
    _common(ex)

    perm = sub.add_parser(
        "permissions", help="print the least-privilege policy the selected checks need"
    )
    perm.add_argument("provider", metavar="PROVIDER")
    _common(perm)
    _selection(perm)

    demo = sub.add_parser("demo", help="run every control against a built-in simulated estate")
    demo.add_argument(
        "--output-dir",
        default="soc2checks-demo",
        metavar="DIR",
        help="where the demo writes its reports (default ./soc2checks-demo)",
    )
    demo.add_argument("--failures-only", action="store_true", help="show only failures and errors")
    _common(demo)
    _cli_store.add_parsers(sub)
    return parser


def _preparse(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The subcommand and the -p values, before plugins are loaded."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("-p", dest="plugin_args", action="append", default=[])
    pre.add_argument("command", nargs="?")
    known, _ = pre.parse_known_args([a for a in argv if a not in ("-h", "--help")])
    return known.command, list(known.plugin_args)


def _add_plugin_options(parser: argparse.ArgumentParser, plugins: Sequence[LoadedPlugin]) -> None:
    import pluggy

    from soc2checks import hookspecs

    pm = pluggy.PluginManager("soc2checks")
    pm.add_hookspecs(hookspecs)
    for p in plugins:
        if not pm.is_registered(p.module):
            pm.register(p.module, name=p.name)
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name in PLUGIN_COMMANDS:
        sp = subs[0].choices[name]
        pm.hook.soc2checks_addoption(parser=sp)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    for stream in (sys.stdout, sys.stderr):
        # Resource names and messages may hold any character; a terminal that cannot
        # show one gets an escape, not a UnicodeEncodeError after the run.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return _main(args_list)
    except KeyboardInterrupt:
        print("soc2checks: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        from soc2checks._errors import Soc2ChecksError

        if debug:
            traceback.print_exc()
        if isinstance(exc, Soc2ChecksError):
            print(f"soc2checks: error: {exc}", file=sys.stderr)
        else:
            print(
                f"soc2checks: internal error: {type(exc).__name__}: {exc} "
                "(rerun with --debug for a traceback, and please report it)",
                file=sys.stderr,
            )
        return EXIT_USAGE


def _main(argv: list[str]) -> int:
    parser = build_parser()
    command, plugin_args = _preparse(argv)
    plugins: list[LoadedPlugin] = []
    if command in PLUGIN_COMMANDS or command in ("list", "explain"):
        from soc2checks._plugins import discover_entry_points

        plugins = discover_entry_points(plugin_args)
        if command in PLUGIN_COMMANDS:
            _add_plugin_options(parser, plugins)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    options = {k: v for k, v in vars(args).items()}
    handler: Callable[[argparse.Namespace, dict[str, Any], list[LoadedPlugin]], int] = {
        "run": _cmd_run,
        "list": _cmd_list,
        "explain": _cmd_explain,
        "permissions": _cmd_permissions,
        "demo": _cmd_demo,
        **_cli_store.HANDLERS,
    }[args.command]
    return handler(args, options, plugins)


def _prepare(
    args: argparse.Namespace,
    options: dict[str, Any],
    plugins: list[LoadedPlugin],
    *,
    select: bool = True,
) -> Prepared:
    from soc2checks._config import load_config
    from soc2checks._engine import prepare
    from soc2checks._plugins import build_registry, discover_local, parse_plugin_args

    config = load_config(args.config, options=options)
    local = discover_local(config.data.plugins, config.root, args.plugin_args)
    _, blocked = parse_plugin_args(args.plugin_args)
    registry = build_registry([*plugins, *local], blocked=blocked)
    kw: dict[str, Any] = {}
    if select:
        kw = {
            k: getattr(args, k, None)
            for k in ("checks", "providers", "controls", "criteria", "categories")
        }
    return prepare(config=config, registry=registry, every_provider=args.command != "run", **kw)


# ---- run ------------------------------------------------------------------------------
class _Progress:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} tasks")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def _outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    specs = args.formats or ["table"]
    outs: list[tuple[str, str | None]] = []
    for s in specs:
        name, sep, path = s.partition(":")
        outs.append((name, path if sep else None))
    bare = [i for i, (_, p) in enumerate(outs) if p is None]
    if args.output:
        if len(bare) != 1:
            from soc2checks._errors import UsageError

            raise UsageError("--output needs exactly one --format without ':PATH'")
        i = bare[0]
        outs[i] = (outs[i][0], args.output)
    return outs


def _reporters(prep: Prepared) -> dict[str, Callable[..., str]]:
    return prep.registry.reporters


def _render(
    prep: Prepared, result: RunResult, outs: list[tuple[str, str | None]], args: argparse.Namespace
) -> None:
    reporters = _reporters(prep)
    for name, path in outs:
        render = reporters[name]
        opts: dict[str, Any] = {}
        if name == "table":
            opts = {
                "color": path is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
                "failures_only": bool(getattr(args, "failures_only", False)),
                "verbose": bool(getattr(args, "verbose", False)),
            }
        text = render(result, prep.config, **opts)
        if path is None:
            sys.stdout.write(text)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(text, encoding="utf-8")


def gate_exit_code(result: RunResult, fail_on: str, has_baseline: bool) -> int:
    """The documented exit code for a finished run."""
    from soc2checks._model import Status

    s = result.summary
    if fail_on == "never":
        return EXIT_OK
    if fail_on == "fail" and s.fail:
        return EXIT_GATE
    if fail_on == "regression" and result.regressions:
        return EXIT_GATE
    if fail_on == "error" and (s.fail or s.error):
        return EXIT_GATE
    errors = (
        result.new_errors
        if has_baseline
        else [f for f in result.findings if f.status is Status.ERROR]
    )
    return EXIT_ERRORS if errors else EXIT_OK


def _cmd_run(args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]) -> int:
    from soc2checks._baseline import write_baseline
    from soc2checks._engine import run_checks
    from soc2checks._errors import UsageError

    fail_on = args.fail_on or ("regression" if args.baseline else "fail")
    if fail_on == "regression" and not args.baseline:
        raise UsageError("--fail-on regression needs --baseline PATH")
    prep = _prepare(args, options, plugins)
    outs = _outputs(args)
    reporters = _reporters(prep)
    for name, _ in outs:
        if name not in reporters:
            raise UsageError(f"unknown format '{name}'; available: {', '.join(sorted(reporters))}")
    recorder = _cli_store.run_recorder(args, prep.config)
    progress = None
    if not args.no_progress and sys.stderr.isatty():
        progress = _Progress(sys.stderr)
    try:
        result = run_checks(
            prepared=prep,
            jobs=args.jobs,
            baseline=args.baseline,
            progress=progress,
            capture=recorder.capture if recorder else None,
        )
    finally:
        if progress is not None:
            progress.close()
    for w in result.run.warnings:
        print(f"soc2checks: warning: {w}", file=sys.stderr)
    _render(prep, result, outs, args)
    if recorder is not None:
        recorder.record(result, args, prep)
    if args.write_baseline:
        write_baseline(args.write_baseline, result.findings)
        print(f"soc2checks: wrote baseline {args.write_baseline}", file=sys.stderr)
    code = gate_exit_code(result, fail_on, bool(args.baseline))
    if args.baseline:
        for f in result.regressions:
            print(
                f"soc2checks: regression: {f.check_id} {f.resource_id} "
                f"{dict(sorted(f.scope.items()))}: {f.message}",
                file=sys.stderr,
            )
        for f in result.new_errors:
            print(
                f"soc2checks: new error: {f.check_id} {f.resource_id}: {f.message}", file=sys.stderr
            )
    return code


# ---- list / explain / permissions -------------------------------------------------------
def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _cmd_list(
    args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]
) -> int:
    from soc2checks._catalog import criteria

    prep = _prepare(args, options, plugins)
    reg = prep.registry
    owners = prep.config.data.owners
    if args.what == "checks":
        rows = [
            [
                c.id,
                c.control.id,
                ",".join(c.criteria),
                c.spec.severity.value,
                c.provider,
                c.spec.title,
            ]
            for c in prep.selected
        ]
        sys.stdout.write(
            _table(rows, ["CHECK", "CONTROL", "CRITERIA", "SEVERITY", "PROVIDER", "TITLE"])
        )
    elif args.what == "controls":
        counts: dict[str, int] = {}
        for c in prep.selected:
            counts[c.control.id] = counts.get(c.control.id, 0) + 1
        rows = [
            [
                ctl.id,
                ",".join(ctl.criteria),
                str(counts.get(ctl.id, 0)),
                owners.get(ctl.id, "-"),
                ctl.title,
            ]
            for ctl in sorted(reg.controls.values(), key=lambda x: x.id)
        ]
        sys.stdout.write(_table(rows, ["CONTROL", "CRITERIA", "CHECKS", "OWNER", "TITLE"]))
    elif args.what == "criteria":
        by_crit: dict[str, dict[str, int]] = {}
        for c in prep.selected:
            for cid in c.criteria:
                by_crit.setdefault(cid, {})
                by_crit[cid][c.provider] = by_crit[cid].get(c.provider, 0) + 1
        rows = []
        for crit in criteria().values():
            provs = by_crit.get(crit.id, {})
            auto = sum(n for p, n in provs.items() if p != "files")
            docs = provs.get("files", 0)
            evidence = "automated" if auto else ("documents" if docs else "MISSING")
            rows.append(
                [
                    crit.id,
                    crit.category,
                    evidence,
                    ",".join(f"{p}:{n}" for p, n in sorted(provs.items())) or "-",
                    crit.title,
                ]
            )
        sys.stdout.write(_table(rows, ["CRITERION", "CATEGORY", "EVIDENCE", "CHECKS", "TITLE"]))
    elif args.what == "plugins":
        rows = [
            [p.name, p.distribution or "-", p.version or "-", p.origin]
            for p in sorted(reg.plugins, key=lambda p: p.name)
        ]
        sys.stdout.write(_table(rows, ["PLUGIN", "DISTRIBUTION", "VERSION", "ORIGIN"]))
    else:
        rows = [
            [
                f.name,
                f.provider or "-",
                "fan-out:" + str(f.spec.scope) if f.spec.fanout else str(f.spec.scope or "-"),
                f.spec.resource_type or "-",
                ",".join(f.spec.permissions) or "-",
            ]
            for f in sorted(reg.fixtures.values(), key=lambda f: f.name)
        ]
        sys.stdout.write(_table(rows, ["RESOURCE", "PROVIDER", "SCOPE", "TYPE", "PERMISSIONS"]))
    return EXIT_OK


def _cmd_explain(
    args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]
) -> int:
    from soc2checks._catalog import criteria
    from soc2checks._errors import UsageError
    from soc2checks._params import effective_params
    from soc2checks._plugins import _suggest

    prep = _prepare(args, options, plugins, select=False)
    reg = prep.registry
    check = reg.checks.get(args.check_id)
    if check is None:
        raise UsageError(
            f"unknown check ID '{args.check_id}'{_suggest(args.check_id, reg.checks)}; "
            "see 'soc2checks list checks'"
        )
    spec, ctl = check.spec, check.control
    crit = criteria()
    lines = [f"{spec.id}: {spec.title}", ""]
    if spec.description:
        lines += [spec.description, ""]
    lines.append(f"control:     {ctl.id}: {ctl.title}")
    if ctl.description:
        why = " ".join(ctl.description.split())
        lines.append(
            textwrap.fill(why, 88, initial_indent="why:         ", subsequent_indent=" " * 13)
        )
    lines.append("criteria:")
    lines += [f"  {c}  {crit[c].title}" for c in ctl.criteria]
    lines.append(f"provider:    {check.provider}")
    lines.append(f"severity:    {spec.severity.value}")
    lines.append(
        "judges:      "
        + (f"each resource of {spec.over!r}" if spec.over else "each scope as a whole")
    )
    owner = prep.config.data.owners.get(ctl.id)
    if owner:
        lines.append(f"owner:       {owner}")
    params = effective_params(reg, prep.config, spec.id)
    if params:
        lines.append("parameters:")
        for t in spec.tunables:
            current = params[t.name]
            note = "" if current == t.default else f" (default {t.default!r}, set in config)"
            lines.append(f"  {t.name} = {current!r}{note}")
    perms = reg.permissions_of(check)
    lines.append("permissions: " + (", ".join(perms) if perms else "none declared"))
    lines.append("remediation: " + (spec.remediation or ctl.remediation or "-"))
    lines.append(f"defined in:  {spec.func.__module__} (plugin '{check.plugin}')")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _cmd_permissions(
    args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]
) -> int:
    from soc2checks._errors import UsageError
    from soc2checks._plugins import _suggest

    prep = _prepare(args, options, plugins)
    reg = prep.registry
    prov = reg.providers.get(args.provider)
    if prov is None and any(c.provider == args.provider for c in reg.checks.values()):
        from soc2checks._provider import Provider

        prov = Provider(args.provider)
    if prov is None:
        raise UsageError(
            f"unknown provider '{args.provider}'{_suggest(args.provider, reg.providers)}; "
            f"known: {', '.join(sorted(reg.providers))}"
        )
    perms: set[str] = set()
    for c in prep.selected:
        if c.provider == args.provider:
            perms.update(reg.permissions_of(c))
    sys.stdout.write(prov.permissions_text(sorted(perms), config=prep.config))
    return EXIT_OK


def _cmd_demo(
    args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]
) -> int:
    from soc2checks._demo import run_demo

    return run_demo(args, options, plugins)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
