"""``report --period``: the operating-effectiveness view over a period (pure, after loading).

Only **complete** runs judge: a partial run (failed fetches) or a run that never
finished is listed but never ends or starts a deviation, and never fills a gap.

- *runs*: complete runs started in the period, per control those that covered it;
- *pass rate*: pass / (pass + fail + error) over those runs' findings (an error, a
  check that could not judge, is not a pass; skips and waived findings are left out);
- *deviations*: failure episodes of one check x resource: the first complete run that
  saw it fail, the first later complete run that saw it pass, skip or no longer list
  the resource (``resolved_by``), else ``open``; time open to that run or to the
  period's end; an SLA breach when that exceeds ``[sla]`` for the check's severity;
- *gaps*: intervals longer than ``[store] expected_interval`` between the period's
  start, each complete run and the period's end.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from soc2checks.store import _schema as t
from soc2checks.store._canonical import parse_utc, unpack, utc_text

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

SCHEMA_ID = "soc2checks/period-report/v1"
FpKey = tuple[str, str, str, str]  # check, provider, scope JSON, resource


@dataclass(frozen=True)
class Verdict:
    status: str
    control_id: str
    severity: str
    criteria: tuple[str, ...]
    waiver: tuple[tuple[str, Any], ...] | None


@dataclass
class PeriodRun:
    id: str
    seq: int
    started_at: dt.datetime
    state: str
    provenance: str
    selected: frozenset[str]
    verdicts: dict[FpKey, Verdict] = field(default_factory=dict)

    covered: frozenset[str] = frozenset()
    """Checks the run looked at: those selected, and those with a finding in it."""


def load(conn: Connection, end: dt.datetime) -> list[PeriodRun]:
    """Every chained run started at or before ``end``, with its verdicts, in time order."""
    from sqlalchemy import select

    r = t.runs.c
    runs: dict[int, PeriodRun] = {}
    for row in conn.execute(
        select(t.runs).where(r.seq.is_not(None), r.started_at <= utc_text(end))
    ):
        meta = json.loads(row.meta)
        selected = (meta.get("selection") or {}).get("selected") or []
        runs[row.seq] = PeriodRun(
            row.id,
            row.seq,
            parse_utc(row.started_at),
            row.state,
            row.provenance,
            frozenset(selected),
        )
    if not runs:
        return []
    o, f, b = t.observations.c, t.fingerprints.c, t.blobs.c
    q = (
        select(f.check_id, f.provider, f.scope, f.resource_id, b.data, o.first_seq, o.last_seq)
        .select_from(t.observations)
        .join(t.fingerprints, f.id == o.fingerprint_id)
        .join(t.blobs, b.digest == o.body)
        .where(o.first_seq <= max(runs))
    )
    for check, provider, scope, rid, data, first, last in conn.execute(q):
        hit = [runs[s] for s in range(first, last + 1) if s in runs]
        if not hit:
            continue
        body = json.loads(unpack(bytes(data)))
        waiver = body.get("waiver")
        v = Verdict(
            status=body["status"],
            control_id=body.get("control_id", ""),
            severity=body.get("severity", "medium"),
            criteria=tuple(body.get("criteria") or ()),
            waiver=tuple(sorted(waiver.items())) if isinstance(waiver, dict) else None,
        )
        for run in hit:
            run.verdicts[(check, provider, scope, rid)] = v
    for run in runs.values():
        run.covered = run.selected | {k[0] for k in run.verdicts}
    return sorted(runs.values(), key=lambda x: (x.started_at, x.seq))


def _seconds(d: dt.timedelta) -> int:
    return int(d.total_seconds())


def _gaps(
    times: Sequence[dt.datetime], start: dt.datetime, end: dt.datetime, every: dt.timedelta
) -> list[dict[str, Any]]:
    points = [start, *times, end]
    out = []
    for a, b in itertools.pairwise(points):
        if b - a > every:
            out.append(
                {"start": utc_text(a), "end": utc_text(b), "duration_seconds": _seconds(b - a)}
            )
    return out


def _deviations(
    runs: Sequence[PeriodRun],
    start: dt.datetime,
    end: dt.datetime,
    sla: Mapping[str, dt.timedelta],
) -> list[dict[str, Any]]:
    complete = [r for r in runs if r.state == "complete"]
    keys = sorted({k for r in complete for k in r.verdicts})
    out = []
    for key in keys:
        check = key[0]
        opened: tuple[PeriodRun, Verdict] | None = None
        episodes: list[tuple[PeriodRun, Verdict, PeriodRun | None, str]] = []
        for run in complete:
            if check not in run.covered:
                continue  # the run did not look, so it says nothing
            v = run.verdicts.get(key)
            status = v.status if v is not None else "absent"
            if status == "fail" and opened is None and v is not None:
                opened = (run, v)
            elif status in ("pass", "skip", "absent") and opened is not None:
                episodes.append((*opened, run, status))
                opened = None
        if opened is not None:
            episodes.append((*opened, None, "open"))
        for first, v, resolved, how in episodes:
            if first.started_at > end or (resolved is not None and resolved.started_at < start):
                continue
            until = resolved.started_at if resolved is not None else end
            open_for = until - first.started_at
            limit = sla.get(v.severity)
            out.append(
                {
                    "check_id": check,
                    "control_id": v.control_id,
                    "criteria": list(v.criteria),
                    "severity": v.severity,
                    "provider": key[1],
                    "scope": json.loads(key[2]),
                    "resource_id": key[3],
                    "first_failed_run": first.id,
                    "first_failed_at": utc_text(first.started_at),
                    "resolved_run": resolved.id if resolved is not None else None,
                    "resolved_at": utc_text(resolved.started_at) if resolved is not None else None,
                    "resolved_by": how,
                    "open": resolved is None,
                    "time_open_seconds": _seconds(open_for),
                    "sla_seconds": _seconds(limit) if limit is not None else None,
                    "sla_breached": limit is not None and open_for > limit,
                }
            )
    return out


def build_report(
    runs: Sequence[PeriodRun],
    start: dt.datetime,
    end: dt.datetime,
    *,
    expected_interval: dt.timedelta | None = None,
    sla: Mapping[str, dt.timedelta] | None = None,
) -> dict[str, Any]:
    """The ``soc2checks/period-report/v1`` document (plain data, deterministic)."""
    sla = dict(sla or {})
    period = [r for r in runs if start <= r.started_at <= end]
    complete = [r for r in period if r.state == "complete"]
    deviations = _deviations(runs, start, end, sla)
    controls: dict[str, dict[str, Any]] = {}
    for run in complete:
        seen: set[str] = set()
        for v in run.verdicts.values():
            c = controls.setdefault(
                v.control_id,
                {"control_id": v.control_id, "criteria": set(), "runs": 0, "counts": {}},
            )
            c["criteria"].update(v.criteria)
            c["counts"][v.status] = c["counts"].get(v.status, 0) + 1
            if v.control_id not in seen:
                seen.add(v.control_id)
                c["runs"] += 1
    waivers: dict[tuple[tuple[str, Any], ...], set[str]] = {}
    for run in complete:
        for v in run.verdicts.values():
            if v.waiver is not None:
                waivers.setdefault(v.waiver, set()).add(run.id)

    def rate(counts: Mapping[str, int]) -> float | None:
        judged = counts.get("pass", 0) + counts.get("fail", 0) + counts.get("error", 0)
        return round(counts.get("pass", 0) / judged, 4) if judged else None

    control_rows = []
    for cid in sorted(controls):
        c = controls[cid]
        devs = [d for d in deviations if d["control_id"] == cid]
        control_rows.append(
            {
                "control_id": cid,
                "criteria": sorted(c["criteria"]),
                "runs": c["runs"],
                "counts": dict(sorted(c["counts"].items())),
                "pass_rate": rate(c["counts"]),
                "deviations": len(devs),
                "open_deviations": sum(1 for d in devs if d["open"]),
                "sla_breaches": sum(1 for d in devs if d["sla_breached"]),
                "errors": c["counts"].get("error", 0),
            }
        )
    crit: dict[str, dict[str, Any]] = {}
    for row in control_rows:
        for cr in row["criteria"]:
            x = crit.setdefault(
                cr,
                {"criterion": cr, "controls": [], "counts": {}, "deviations": 0, "sla_breaches": 0},
            )
            x["controls"].append(row["control_id"])
            for k, n in row["counts"].items():
                x["counts"][k] = x["counts"].get(k, 0) + n
            x["deviations"] += row["deviations"]
            x["sla_breaches"] += row["sla_breaches"]
    criteria_rows = [
        {
            **crit[k],
            "counts": dict(sorted(crit[k]["counts"].items())),
            "pass_rate": rate(crit[k]["counts"]),
        }
        for k in sorted(crit)
    ]
    imported = [r for r in period if r.provenance == "imported"]
    return {
        "schema": SCHEMA_ID,
        "period": {"start": utc_text(start), "end": utc_text(end)},
        "expected_interval_seconds": _seconds(expected_interval) if expected_interval else None,
        "sla_seconds": {k: _seconds(v) for k, v in sorted(sla.items())},
        "runs": {
            "total": len(period),
            "complete": len(complete),
            "not_complete": [
                {"id": r.id, "started_at": utc_text(r.started_at), "state": r.state}
                for r in period
                if r.state != "complete"
            ],
            "imported": len(imported),
            "imported_note": (
                "imported runs carry findings only: no raw evidence and no populations"
                if imported
                else None
            ),
        },
        "gaps": (
            _gaps([r.started_at for r in complete], start, end, expected_interval)
            if expected_interval
            else None
        ),
        "controls": control_rows,
        "criteria": criteria_rows,
        "deviations": deviations,
        "waivers": [{**dict(w), "runs": len(ids)} for w, ids in sorted(waivers.items(), key=repr)],
    }
