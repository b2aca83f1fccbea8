"""The ``soc2checks`` command line.

Exit codes (also in ``--help`` and the README):

    0  the gate passed and every check could judge
    1  the gate failed (failures, regressions or, with --fail-on error, errors)
    2  usage, config or plugin-load error (nothing was judged)
    3  the gate passed but some checks could not judge (error findings; with a
       baseline, only errors not already in it), or a selected check judged nothing
       (an empty scope, or a config filter that left no resource)
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from soc2checks import _cli_access, _cli_replay, _cli_store

if TYPE_CHECKING:
    from soc2checks._engine import Prepared
    from soc2checks._model import Finding, RunResult
    from soc2checks._outputs import Output
    from soc2checks._plugins import LoadedPlugin, Registry

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_ERRORS = 0, 1, 2, 3

EXIT_CODES_HELP = """exit codes:
  0  the gate passed and every check could judge
  1  the gate failed (failures; regressions with --baseline; errors too with --fail-on error)
  2  usage, config or plugin-load error: nothing was judged
  3  the gate passed but some checks could not judge (error findings; with --baseline,
     only errors not already in the baseline), or a selected check judged nothing
     (empty scope, or filtered out by the config). --fail-on never exits 0 except for 2.
"""

PLUGIN_COMMANDS = ("run", "permissions", "demo", "readiness")


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


def _jobs_arg(text: str) -> int:
    """``--jobs N``: the same rule as ``jobs =`` in the config."""
    from soc2checks._config import check_jobs

    try:
        value: object = int(text)
    except ValueError:
        value = text
    try:
        return check_jobs(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    out.add_argument(
        "--markdown-max-bytes",
        type=int,
        metavar="N",
        help="markdown: failures first, cut to at most N bytes (a CI step summary: 1048576)",
    )
    report = run.add_argument_group("report details (html; default: [report] in the config)")
    report.add_argument("--report-title", metavar="TEXT", help="title (html, markdown)")
    report.add_argument("--report-organization", metavar="TEXT", help="organization")
    report.add_argument("--report-system", metavar="TEXT", help="system under audit")
    report.add_argument(
        "--report-period", metavar="TEXT", help="audit period, e.g. '2026-01-01 to 2026-12-31'"
    )
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
        "--jobs",
        "-j",
        type=_jobs_arg,
        metavar="N",
        help="concurrent fetches and checks, 1-256 (default: jobs in the config, else 16)",
    )
    run.add_argument(
        "--executor",
        choices=("local", "dask"),
        help="where units of work run: local threads (default) or a Dask cluster",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://HOST:8786 (default: a LocalCluster on this machine)",
    )
    run.add_argument(
        "--framework",
        metavar="ID",
        help="report by this framework's requirements: tsc2017 (default), iso27001, ...",
    )
    _cli_store.add_run_options(run)

    lst = sub.add_parser("list", help="list checks, controls, criteria, plugins or resources")
    lst.add_argument("what", choices=["checks", "controls", "criteria", "plugins", "resources"])
    lst.add_argument(
        "--format",
        "-f",
        dest="list_format",
        choices=["table", "json"],
        default="table",
        help="table (default) or json: a sorted list of objects with sorted keys, for scripts",
    )
    _common(lst)
    _selection(lst)
    lst.add_argument(
        "--framework",
        metavar="ID",
        help="report by this framework's requirements: tsc2017 (default), iso27001, ...",
    )

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

    ready = sub.add_parser(
        "readiness",
        help="gap assessment: per criterion in scope, its evidence and whether it holds",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(ready)
    _selection(ready)
    ready.add_argument(
        "--framework",
        metavar="ID",
        help="report by this framework's requirements: tsc2017 (default), iso27001, ...",
    )
    ready.add_argument(
        "--format",
        "-f",
        dest="format",
        choices=["text", "json"],
        default="text",
        help="text (default) or json",
    )
    ready.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="concurrent fetches and checks (default 16)"
    )

    demo = sub.add_parser("demo", help="run every control against a built-in simulated estate")
    demo.add_argument(
        "--output-dir",
        default="soc2checks-demo",
        metavar="DIR",
        help="where the demo writes its reports (default ./soc2checks-demo)",
    )
    demo.add_argument("--failures-only", action="store_true", help="show only failures and errors")
    _common(demo)

    from soc2checks import _cli_diff

    _cli_diff.add_parser(sub)
    _cli_store.add_parsers(sub)
    _cli_replay.add_parser(sub)
    _cli_access.add_parser(sub)
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
            _say(f"error: {exc}")
        else:
            _say(
                f"internal error: {type(exc).__name__}: {exc} "
                "(rerun with --debug for a traceback, and please report it)"
            )
        return EXIT_USAGE


def _say(text: str) -> None:
    """One ``soc2checks: ...`` line on stderr, control characters escaped."""
    from soc2checks.reporters._common import one_line

    print(f"soc2checks: {one_line(text)}", file=sys.stderr)


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
        "readiness": _cmd_readiness,
        "list": _cmd_list,
        "explain": _cmd_explain,
        "permissions": _cmd_permissions,
        "demo": _cmd_demo,
        "diff": lambda a, o, p: _cli_diff_run(a),
        **_cli_store.HANDLERS,
        **_cli_replay.HANDLERS,
        "access-review": _cli_access.run,
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
    if select and kw.get("criteria") and getattr(args, "framework", None) not in (None, "tsc2017"):
        kw["controls"] = _controls_for_requirements(
            registry, args.framework, kw.pop("criteria"), kw.get("controls")
        )
    every = args.command not in ("run", "readiness")
    return prepare(
        config=config,
        registry=registry,
        every_provider=every,
        plugin_args=args.plugin_args,
        **kw,
    )


def _controls_for_requirements(
    registry: Registry, name: str, wanted: list[str], controls: list[str] | None
) -> list[str]:
    """``--criteria`` of another framework (Annex A ``8.24``): the controls mapped to it."""
    from fnmatch import fnmatchcase

    from soc2checks._errors import UsageError
    from soc2checks._frameworks import framework

    fw = framework(registry, name)
    for w in wanted:
        if not any(fnmatchcase(r, w) for r in fw.requirement_ids()):
            raise UsageError(f"framework '{fw.id}' has no requirement '{w}'")
    found = sorted(
        c for c, ids in fw.mapping.items() if any(fnmatchcase(i, w) for i in ids for w in wanted)
    )
    if controls:
        found = [c for c in found if any(fnmatchcase(c, g) for g in controls)]
    if not found:
        raise UsageError(f"no selected control maps to {fw.id} {', '.join(wanted)}")
    return found


# ---- run ------------------------------------------------------------------------------
class _Progress:
    """One line on stderr: tasks done of the local pool, or work units of a Dask run."""

    def __init__(self, stream: TextIO, what: str = "tasks") -> None:
        self.stream = stream
        self.what = what
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {self.what}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def _render(
    prep: Prepared, result: RunResult, outs: list[Output], args: argparse.Namespace
) -> None:
    reporters = prep.registry.reporters
    from soc2checks.reporters import report_options

    base = report_options(prep.registry, getattr(args, "categories", None))
    for key in ("title", "organization", "system", "period"):
        if getattr(args, f"report_{key}", None):
            base[key] = getattr(args, f"report_{key}")
    for out in outs:
        render = reporters[out.format]
        opts: dict[str, Any] = dict(base)
        if out.format == "table":
            opts = {
                "color": out.path is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
                "failures_only": bool(getattr(args, "failures_only", False)),
                "verbose": bool(getattr(args, "verbose", False)),
            }
        if out.format == "markdown" and getattr(args, "markdown_max_bytes", None):
            opts["max_bytes"] = args.markdown_max_bytes
        text = render(result, prep.config, **opts)
        if out.path is None:
            sys.stdout.write(text)
        else:
            Path(out.path).parent.mkdir(parents=True, exist_ok=True)
            Path(out.path).write_text(text, encoding="utf-8")


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
    return EXIT_ERRORS if errors or result.idle_checks else EXIT_OK


def _cmd_run(args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]) -> int:
    from soc2checks._baseline import write_baseline
    from soc2checks._engine import run_checks
    from soc2checks._errors import UsageError
    from soc2checks._outputs import check_writable, parse_outputs

    fail_on = args.fail_on or ("regression" if args.baseline else "fail")
    if fail_on == "regression" and not args.baseline:
        raise UsageError("--fail-on regression needs --baseline PATH")
    outs = parse_outputs(args.formats, args.output)
    prep = _prepare(args, options, plugins)
    reporters = prep.registry.reporters
    for out in outs:
        if out.format not in reporters:
            raise UsageError(
                f"unknown format '{out.format}'; available: {', '.join(sorted(reporters))}"
            )
    files = [(f"-f {o.format}", o.path) for o in outs if o.path is not None]
    if args.write_baseline:
        files.append(("--write-baseline", args.write_baseline))
    check_writable(files)
    from soc2checks._frameworks import by_framework, framework, remap_finding
    from soc2checks.reporters._stream import Streaming, start_streams

    # Findings carry the Trust Services Criteria; another framework's IDs replace them in
    # every output, streamed ones included (each finding is remapped as it is written).
    fw = None if args.framework in (None, "tsc2017") else framework(prep.registry, args.framework)
    streamed = [
        (o.format, r, o.path) for o in outs if isinstance(r := reporters[o.format], Streaming)
    ]
    remap = None if fw is None else functools.partial(remap_finding, fw=fw)
    streams = start_streams(prep.registry.pm, streamed, prep.config, remap=remap)
    recorder = _cli_store.run_recorder(args, prep.config)
    progress = None
    if not args.no_progress and sys.stderr.isatty():
        kind = args.executor or ("dask" if args.scheduler else prep.config.data.executor.kind)
        progress = _Progress(sys.stderr, "units" if kind == "dask" else "tasks")
    try:
        result = run_checks(
            prepared=prep,
            jobs=args.jobs,
            baseline=args.baseline,
            progress=progress,
            executor=args.executor,
            scheduler=args.scheduler,
            capture=recorder.capture if recorder else None,
        )
    except BaseException:
        streams.close()
        raise
    finally:
        if progress is not None:
            progress.close()
    recorded = result
    if fw is not None:
        result = by_framework(result, fw)
    streams.finish(result)
    from soc2checks._baseline import STALE_ENTRY

    for w in result.run.warnings:
        if w.startswith(STALE_ENTRY) and not args.verbose:
            continue  # named one by one with -v; always counted in the line before
        _say(f"warning: {w}")
    for idle in result.idle_checks:
        kind = "filtered out by the config" if idle.reason == "filtered" else "no resources"
        _say(f"judged nothing: {idle.check_id} ({kind}): {idle.message}")
    _report_shared_causes(result)
    _render(prep, result, [o for o in outs if not isinstance(reporters[o.format], Streaming)], args)
    if recorder is not None:
        recorder.record(recorded, args, prep)
    if args.write_baseline:
        write_baseline(args.write_baseline, result.findings)
        _say(f"wrote baseline {args.write_baseline}")
    code = gate_exit_code(result, fail_on, bool(args.baseline))
    if args.baseline:
        for f in result.regressions:
            _say(f"regression: {_where(f)}: {f.message}")
        for f in result.new_errors:
            _say(f"new error: {_where(f)}: {f.message}")
        from soc2checks._notify import notify

        notify(prep.registry, result, prep.config, lambda m: _say(f"warning: {m}"))
    return code


def _where(f: Finding) -> str:
    """``CHECK RESOURCE (account=1, region=x)``; no parentheses for a run-wide scope."""
    from soc2checks.reporters._common import scope_label

    scope = scope_label(f.scope)
    return f"{f.check_id} {f.resource_id or '-'}" + (f" ({scope})" if scope else "")


def _report_shared_causes(result: RunResult) -> None:
    """One stderr line per cause that made several checks of a scope error."""
    from soc2checks.reporters._common import shared_causes

    for cause in shared_causes(result.findings):
        _say(f"error: {cause.headline()}")


# ---- list / explain / permissions -------------------------------------------------------
def _cmd_list(
    args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]
) -> int:
    from soc2checks._listing import listing

    prep = _prepare(args, options, plugins)
    sys.stdout.write(listing(prep, args.what, args.list_format, args.framework))
    return EXIT_OK


def _cmd_readiness(
    args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]
) -> int:
    import json

    from soc2checks._engine import run_checks
    from soc2checks._frameworks import framework
    from soc2checks._readiness import assess, render_text, scoped_categories

    prep = _prepare(args, options, plugins)
    fw = framework(prep.registry, args.framework)
    result = run_checks(prepared=prep, jobs=args.jobs)
    for w in result.run.warnings:
        print(f"soc2checks: warning: {w}", file=sys.stderr)
    cats = scoped_categories(prep.config.data.categories, args.categories)
    rows = assess(prep.registry, prep.selected, result.findings, cats, fw)
    if args.format == "json":
        sys.stdout.write(json.dumps([r.as_dict() for r in rows], indent=2) + "\n")
    else:
        noun = "criteria" if fw.id == "tsc2017" else f"{fw.id} requirements"
        sys.stdout.write(render_text(rows, noun))
    return EXIT_OK if all(r.status == "covered" for r in rows) else EXIT_GATE


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
    origin = next((p for p in reg.plugins if p.name == check.plugin), None)
    source = origin.source_of(spec.func.__module__) if origin else spec.func.__module__
    lines.append(f"defined in:  {source} (plugin '{check.plugin}')")
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


def _cli_diff_run(args: argparse.Namespace) -> int:
    from soc2checks import _cli_diff

    return _cli_diff.run(args)


def _cmd_demo(
    args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]
) -> int:
    from soc2checks._demo import run_demo

    return run_demo(args, options, plugins)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
