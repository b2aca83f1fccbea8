"""``soc2checks replay RUN``: re-perform a stored run offline on its stored evidence."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soc2checks._plugins import LoadedPlugin


def add_parser(sub: Any) -> None:
    from soc2checks._cli_store import _format_arg, _store_arg

    p = sub.add_parser(
        "replay", help="re-judge a stored run on its stored evidence, offline, and compare"
    )
    p.add_argument("run", metavar="RUN", help="run ID or chain position (#N) in the store")
    p.add_argument(
        "--checks-from-current",
        action="store_true",
        help="judge with today's checks even if their versions differ from the run's; print a diff",
    )
    _format_arg(p)
    _store_arg(p)


def _label(f: Any) -> str:
    return f"{f.check_id} {f.resource_id}"


def cmd_replay(args: argparse.Namespace, _o: dict[str, Any], plugins: list[LoadedPlugin]) -> int:
    from soc2checks._cli_store import _config, _open
    from soc2checks._errors import UsageError
    from soc2checks._plugins import load_registry
    from soc2checks._replay import replay

    config = _config(args)
    with _open(args.store, config) as store:
        run = store.stored_run(args.run)
    if run is None:
        raise UsageError(f"no run {args.run!r} in the store (see `soc2checks history`)")
    registry = load_registry(
        plugin_args=getattr(args, "plugin_args", None) or (),
        local_paths=config.data.plugins,
        root=config.root,
    )
    then = {p["name"]: p.get("version") for p in run.meta.get("plugins") or []}
    now = {p.name: p.version for p in registry.plugins}
    moved = sorted(n for n in then if n in now and now[n] != then[n])
    if moved and not args.checks_from_current:
        raise UsageError(
            f"plugin versions differ from run {run.id}'s ({', '.join(moved)}); "
            "replay with --checks-from-current to judge with today's checks"
        )
    note = ""
    if "params" not in run.meta:
        note = (
            "run stored no check parameters (recorded before parameters were stored): "
            "replayed with the checks' defaults"
        )
    res = replay(run, registry, waivers=list(config.data.waivers))
    if args.format == "json":
        doc = {
            "run": run.id,
            "seq": run.seq,
            "counts": res.counts(),
            "changed": [
                {
                    "check_id": old.check_id,
                    "resource_id": old.resource_id,
                    "stored": old.status.value,
                    "replayed": new.status.value if new is not None else None,
                }
                for old, new in res.changed
            ],
            "added": [{"check_id": f.check_id, "resource_id": f.resource_id} for f in res.added],
            "errors": [
                {"check_id": f.check_id, "resource_id": f.resource_id, "error": m}
                for f, m in res.errors
            ],
            "not_replayable": len(res.not_replayable),
            "note": note,
        }
        print(json.dumps(doc, indent=2, sort_keys=True))
    else:
        for old, new in res.changed:
            shown = new.status.value if new is not None else "(not produced)"
            print(f"changed  {_label(old)}: {old.status.value} -> {shown}")
        for f in res.added:
            print(f"added    {_label(f)}: {f.status.value}")
        for f, m in res.errors:
            print(f"error    {_label(f)}: {m}")
        c = res.counts()
        print(
            f"soc2checks: replayed run {run.id} (#{run.seq}): {c['reproduced']} reproduced, "
            f"{c['changed']} changed, {c['added']} added, {c['errors']} error(s), "
            f"{c['not_replayable']} not replayable"
        )
        if note:
            print(f"soc2checks: {note}", file=sys.stderr)
    return 0 if res.ok else 1


HANDLERS = {"replay": cmd_replay}
