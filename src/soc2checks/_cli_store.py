"""The store's command line: ``run --store``, ``history``, ``state``, ``evidence verify``,
``store import``. :mod:`soc2checks.cli` hooks these in with a few lines.

Exit codes: 0 done (``evidence verify``: the store is intact), 1 ``evidence verify``
found a broken run, 2 usage, config or store error (one line).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soc2checks._capture import Capture
    from soc2checks._config import Config
    from soc2checks._engine import Prepared
    from soc2checks._model import RunResult
    from soc2checks._plugins import LoadedPlugin
    from soc2checks.store import Store

_DEFAULT = "__default__"
Handler = Callable[[argparse.Namespace, dict[str, Any], list["LoadedPlugin"]], int]


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="URL",
        help="store URL (default: [store] url in the config, else "
        "sqlite:///.soc2checks/evidence.db next to the config or in the current folder)",
    )
    p.add_argument(
        "--config",
        "-c",
        metavar="PATH",
        help="config file (default: ./soc2checks.toml or [tool.soc2checks] in ./pyproject.toml)",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks for errors")


def _format_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", "-f", choices=["table", "json"], default="table")


def add_run_options(run: argparse.ArgumentParser) -> None:
    """``--store [URL]``, ``--no-store`` and ``--signing-key`` on ``soc2checks run``."""
    g = run.add_argument_group("evidence store")
    g.add_argument(
        "--store",
        nargs="?",
        const=_DEFAULT,
        metavar="URL",
        help="record the run in the evidence store (default URL: [store] url in the config, "
        "else sqlite:///.soc2checks/evidence.db)",
    )
    g.add_argument(
        "--no-store", action="store_true", help="do not record the run, whatever the config says"
    )
    g.add_argument(
        "--signing-key",
        metavar="PATH",
        help="Ed25519 private key (PEM) that signs the run's chain link ([store] signing_key)",
    )


def add_parsers(sub: Any) -> None:
    """Add the store's subcommands (their handlers are :data:`HANDLERS`)."""
    hist = sub.add_parser("history", help="runs recorded in the evidence store, newest first")
    hist.add_argument("--since", metavar="DATETIME", help="only runs started at or after this")
    _format_arg(hist)
    _store_arg(hist)

    state = sub.add_parser(
        "state", help="every check x resource as of an instant, from the evidence store"
    )
    state.add_argument(
        "--at",
        required=True,
        metavar="DATETIME",
        help="UTC date or datetime; a date alone means the end of that day",
    )
    _format_arg(state)
    _store_arg(state)

    rep = sub.add_parser(
        "report", help="operating effectiveness over a period: deviations, SLA breaches, gaps"
    )
    rep.add_argument(
        "--period",
        required=True,
        metavar="START..END",
        help="UTC dates or datetimes; a date alone as END means the end of that day",
    )
    rep.add_argument(
        "--format", "-f", choices=["table", "json", "markdown", "html"], default="table"
    )
    _store_arg(rep)

    ev = sub.add_parser("evidence", help="evidence store integrity")
    ev_sub = ev.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)
    ver = ev_sub.add_parser(
        "verify", help="recompute every digest and the run chain; exit 1 naming the first break"
    )
    ver.add_argument(
        "--public-key", metavar="PATH", help="also check each link's Ed25519 signature"
    )
    _store_arg(ver)

    st = sub.add_parser("store", help="manage the evidence store")
    st_sub = st.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    imp = st_sub.add_parser(
        "import", help="record runs from soc2checks/findings/v1 files (provenance: imported)"
    )
    imp.add_argument("files", nargs="+", metavar="FINDINGS.json")
    _store_arg(imp)


# ---- opening -----------------------------------------------------------------------------
def _open(url: str | None, config: Config, signing_key: str | None = None) -> Store:
    from soc2checks.store import DEFAULT_URL, open_store

    settings = config.data.store
    url = url if url not in (None, _DEFAULT) else (settings.url if settings else None)
    key = signing_key  # a command-line path is relative to the current folder
    if key is None and settings is not None and settings.signing_key:
        key = str(config.resolve_path(settings.signing_key))  # the config's: to its folder
    return open_store(url or DEFAULT_URL, base=config.root, signing_key=key)


def _config(args: argparse.Namespace) -> Config:
    from soc2checks._config import load_config

    return load_config(args.config)


class RunRecorder:
    """Records one ``soc2checks run`` in the store: opened before the run, written after."""

    def __init__(self, store: Store, capture: Capture) -> None:
        self.store = store
        self.capture = capture
        self.marker = store.begin_run()

    def record(self, result: RunResult, args: argparse.Namespace, prep: Prepared) -> None:
        selection: dict[str, Any] = {
            k: getattr(args, k, None)
            for k in ("checks", "providers", "controls", "criteria", "categories")
        }
        selection["selected"] = sorted(c.id for c in prep.selected)
        seq, digest = self.store.record(
            result, self.capture, selection=selection, marker=self.marker, params=prep.params
        )
        self.store.close()
        print(
            f"soc2checks: recorded run {result.run.id} as #{seq} (digest {digest[:12]})",
            file=sys.stderr,
        )


def run_recorder(args: argparse.Namespace, config: Config) -> RunRecorder | None:
    """The recorder for ``run``, or None when the run is not to be stored."""
    from soc2checks._capture import Capture

    wanted = args.store is not None or bool(config.data.store and config.data.store.url)
    if args.no_store or not wanted:
        return None
    return RunRecorder(_open(args.store, config, args.signing_key), Capture())


# ---- commands --------------------------------------------------------------------------
def _when(text: str, *, end_of_day: bool) -> dt.datetime:
    from soc2checks._errors import UsageError

    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            t = dt.time.max if end_of_day else dt.time.min
            return dt.datetime.combine(day, t, tzinfo=dt.timezone.utc)
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"'{text}' is not a date or datetime (2026-03-31 or 2026-03-31T12:00:00Z)"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _cmd_history(args: argparse.Namespace, _o: dict[str, Any], _p: list[LoadedPlugin]) -> int:
    since = _when(args.since, end_of_day=False) if args.since else None
    with _open(args.store, _config(args)) as store:
        runs = store.history(since)
    if args.format == "json":
        doc = {"schema": "soc2checks/history/v1", "runs": [r.as_dict() for r in runs]}
        sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True) + "\n")
        return 0
    statuses = ("pass", "fail", "error", "skip", "waived", "total")
    rows = [
        [
            r.id,
            r.started_at,
            r.provenance,
            r.state,
            "yes" if r.partial else "no",
            *(str(r.counts.get(s, "-")) for s in statuses),
        ]
        for r in runs
    ]
    headers = ["RUN", "STARTED", "PROVENANCE", "STATE", "PARTIAL", *(s.upper() for s in statuses)]
    sys.stdout.write(_table(rows, headers) if rows else "no runs recorded\n")
    return 0


def _cmd_state(args: argparse.Namespace, _o: dict[str, Any], _p: list[LoadedPlugin]) -> int:
    from soc2checks._errors import UsageError
    from soc2checks._model import Summary
    from soc2checks.reporters.json import finding_to_dict
    from soc2checks.store._canonical import utc_text

    at = _when(args.at, end_of_day=True)
    with _open(args.store, _config(args)) as store:
        run, findings = store.state_at(at)
    if run is None:
        raise UsageError(
            f"no complete run started at or before {utc_text(at)}; see 'soc2checks history'"
        )
    if args.format == "json":
        doc = {
            "schema": "soc2checks/state/v1",
            "at": utc_text(at),
            "run": run.as_dict(),
            "summary": Summary.of(findings).as_dict(),
            "findings": [finding_to_dict(f) for f in findings],
        }
        sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return 0
    sys.stdout.write(
        f"state at {utc_text(at)} from run {run.id} (#{run.seq}, started {run.started_at}, "
        f"{run.provenance})\n\n"
    )
    rows = [
        [
            f.check_id,
            f.resource_id,
            ",".join(f"{k}={v}" for k, v in sorted(f.scope.items())) or "-",
            f.status.value,
            f.message.splitlines()[0][:80] if f.message else "",
        ]
        for f in findings
    ]
    sys.stdout.write(
        _table(rows, ["CHECK", "RESOURCE", "SCOPE", "STATUS", "MESSAGE"]) if rows else "none\n"
    )
    return 0


def _duration_text(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days}d{hours:02d}h" if days else f"{hours}h{rest // 60:02d}m"


def _cmd_report(args: argparse.Namespace, _o: dict[str, Any], _p: list[LoadedPlugin]) -> int:
    from soc2checks._duration import parse_duration
    from soc2checks._errors import UsageError

    first, sep, last = args.period.partition("..")
    if not sep or not first or not last:
        raise UsageError(f"--period '{args.period}': give START..END (2026-01-01..2026-03-31)")
    start, end = _when(first, end_of_day=False), _when(last, end_of_day=True)
    if end < start:
        raise UsageError(f"--period '{args.period}': the end is before the start")
    config = _config(args)
    settings = config.data.store
    every = settings.expected_interval if settings else None
    sla = config.data.sla.limits() if config.data.sla else {}
    with _open(args.store, config) as store:
        doc = store.period_report(
            start, end, expected_interval=parse_duration(every) if every else None, sla=sla
        )
    if args.format == "json":
        sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return 0
    if args.format in ("markdown", "html"):
        from soc2checks import _period_render

        render = _period_render.to_markdown if args.format == "markdown" else _period_render.to_html
        sys.stdout.write(render(doc))
        return 0
    runs = doc["runs"]
    out = [
        f"period {doc['period']['start']} .. {doc['period']['end']}: {runs['total']} run(s), "
        f"{runs['complete']} complete, {len(runs['not_complete'])} not complete, "
        f"{runs['imported']} imported",
    ]
    if runs["imported_note"]:
        out.append(f"note: {runs['imported_note']}")
    rows = [
        [
            c["control_id"],
            ",".join(c["criteria"]),
            str(c["runs"]),
            "-" if c["pass_rate"] is None else f"{100 * c['pass_rate']:.1f}%",
            str(c["deviations"]),
            str(c["open_deviations"]),
            str(c["sla_breaches"]),
            str(c["errors"]),
        ]
        for c in doc["controls"]
    ]
    headers = ["CONTROL", "CRITERIA", "RUNS", "PASS RATE", "DEVIATIONS", "OPEN", "SLA BREACHES"]
    out += ["", _table(rows, [*headers, "ERRORS"]).rstrip() if rows else "no complete runs"]
    if doc["deviations"]:
        rows = [
            [
                d["check_id"],
                d["resource_id"],
                d["first_failed_at"][:19],
                (d["resolved_at"] or "open")[:19],
                _duration_text(d["time_open_seconds"]),
                "BREACHED" if d["sla_breached"] else ("ok" if d["sla_seconds"] else "-"),
            ]
            for d in doc["deviations"]
        ]
        out += [
            "",
            "deviations:",
            _table(
                rows, ["CHECK", "RESOURCE", "FIRST FAILED", "RESOLVED", "OPEN FOR", "SLA"]
            ).rstrip(),
        ]
    if doc["gaps"] is None:
        out += ["", "gaps: not checked (set [store] expected_interval)"]
    elif doc["gaps"]:
        rows = [
            [g["start"][:19], g["end"][:19], _duration_text(g["duration_seconds"])]
            for g in doc["gaps"]
        ]
        out += ["", "gaps without a complete run:", _table(rows, ["FROM", "TO", "LENGTH"]).rstrip()]
    else:
        out += ["", "gaps: none"]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _cmd_verify(args: argparse.Namespace, _o: dict[str, Any], _p: list[LoadedPlugin]) -> int:
    with _open(args.store, _config(args)) as store:
        got = store.verify(args.public_key)
    signed = " and their signatures" if got.signed else ""
    if got.ok:
        head = f"; head digest {got.head}" if got.head else ""
        print(f"soc2checks: evidence store intact: {got.runs} run(s){signed} verified{head}")
        return 0
    print(f"soc2checks: evidence store broken at {got.broken}", file=sys.stderr)
    return 1


def _cmd_import(args: argparse.Namespace, _o: dict[str, Any], _p: list[LoadedPlugin]) -> int:
    with _open(args.store, _config(args)) as store:
        for path in args.files:
            run_id, seq, digest = store.import_findings(path)
            print(f"soc2checks: imported {path} as run {run_id} (#{seq}, digest {digest[:12]})")
    return 0


HANDLERS: dict[str, Handler] = {
    "history": _cmd_history,
    "state": _cmd_state,
    "report": _cmd_report,
    "evidence": _cmd_verify,
    "store": _cmd_import,
}
