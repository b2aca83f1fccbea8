"""``soc2checks access-review start SYSTEM… | close FILE``: the quarterly access review.

``start`` snapshots the current principals of each system (from the ``access``
provider, which joins what the other providers fetch) into a review file;
``close`` checks the file is complete and intact and marks it completed.

Exit codes: 0 done; 2 usage or config error, a system that cannot be fetched, or a
review that cannot be closed yet (one line saying why).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soc2checks._plugins import LoadedPlugin


def add_parser(sub: Any) -> None:
    """Add the ``access-review`` subcommand and its ``start`` and ``close`` actions."""
    p = sub.add_parser("access-review", help="start or close a periodic user access review")
    actions = p.add_subparsers(dest="access_action", metavar="ACTION", required=True)
    start = actions.add_parser("start", help="snapshot the principals of SYSTEM into a review")
    start.add_argument(
        "systems",
        nargs="+",
        metavar="SYSTEM",
        help="a system such as aws:123456789012 or github:acme",
    )
    start.add_argument(
        "--output",
        metavar="DIR",
        help="folder for the review files (default: [access] reviews, compliance/access-reviews)",
    )
    close = actions.add_parser("close", help="check a filled-in review and mark it completed")
    close.add_argument("file", metavar="FILE", help="the review file to close")
    for q in (start, close):
        q.add_argument("--config", "-c", metavar="PATH", help="config file")
        q.add_argument("-p", dest="plugin_args", action="append", default=[], metavar="NAME")
        q.add_argument("--debug", action="store_true", help="show tracebacks for errors")


def run(args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]) -> int:
    """Run ``access-review``; returns the exit code."""
    today = dt.datetime.now(dt.timezone.utc).date()
    if args.access_action == "close":
        return _close(Path(args.file), today)
    return _start(args, options, plugins, today)


def _start(
    args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin], today: dt.date
) -> int:
    from soc2checks._config import load_config
    from soc2checks._engine import prepare
    from soc2checks._errors import UsageError
    from soc2checks._fixtures_cache import FixtureFailed
    from soc2checks._plan import Executor
    from soc2checks_access.fixtures import review_files, settings_of
    from soc2checks_access.reviews import file_name, latest_completed, render_review

    config = load_config(args.config, options=options)
    prep = prepare(
        config=config, plugin_args=args.plugin_args, every_provider=True, checks=["access.*"]
    )
    settings = settings_of(prep.config)
    executor = Executor(prep.registry, prep.config)
    try:
        systems = list(executor.resolve("access_system", {}))
    except FixtureFailed as exc:
        raise UsageError(f"cannot list the systems to review: {exc.error}") from None
    by_name = {s.system: s for s in systems}
    for wanted in args.systems:
        if wanted not in by_name:
            known = ", ".join(sorted(by_name)) or "none (configure [access] sources)"
            raise UsageError(f"unknown system '{wanted}'; known: {known}")
    out_dir = Path(args.output) if args.output else prep.config.resolve_path(settings.reviews)
    previous_reviews = review_files(out_dir, prep.config.root)
    texts: list[tuple[Path, str]] = []
    for wanted in dict.fromkeys(args.systems):
        system = by_name[wanted]
        try:
            people = executor.resolve("principals", {"access_system": system})
        except FixtureFailed as exc:
            raise UsageError(f"cannot start a review of {wanted}: {exc.error}") from None
        path = out_dir / file_name(wanted, today)
        if path.exists():
            raise UsageError(f"{path} already exists: finish or remove it first")
        previous = latest_completed(previous_reviews, wanted)
        text = render_review(
            wanted, people, today=today, dormant_days=settings.dormant_days, previous=previous
        )
        texts.append((path, text))
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, text in texts:
        path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"started {path}\n")
    return 0


def _close(path: Path, today: dt.date) -> int:
    from soc2checks._errors import UsageError
    from soc2checks_access.reviews import close_problems, mark_completed, parse_review

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    review = parse_review(text, str(path))
    problems = close_problems(review)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UsageError(f"cannot close: {problems[0]}{more}")
    path.write_text(mark_completed(text, review, today), encoding="utf-8")
    counts = {d: sum(e.decision == d for e in review.entries) for d in ("keep", "revoke", "modify")}
    summary = ", ".join(f"{n} {d}" for d, n in counts.items())
    sys.stdout.write(f"closed {path}: {len(review.entries)} decisions ({summary})\n")
    return 0
