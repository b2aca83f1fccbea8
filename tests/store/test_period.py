"""``report --period`` against a simulated estate: deviations, SLA breaches and gaps
equal the simulation's ground truth; ``state --at`` returns what the estate had."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import jsonschema
import pytest
from tests.store import estate
from tests.store.conftest import RunEstate

from soc2checks.store import open_store, period_report_schema

DAY0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
DAYS = 40
SLA = dt.timedelta(days=3)


def _simulate(store_url: str, run_estate: RunEstate) -> dict[str, Any]:
    """Drive the estate day by day; return what the simulation knows happened."""
    rng = random.Random(11)
    estate.reset({"111": {"u0": True, "u1": True}, "222": {"u2": True}})
    truth: dict[str, Any] = {"complete": [], "partial": [], "skipped": [], "status": {}}
    next_user = 3
    with open_store(store_url) as store:
        for day in range(DAYS):
            accounts = estate.WORLD["accounts"]
            for _ in range(2):
                acct = rng.choice(sorted(accounts))
                users = accounts[acct]
                roll = rng.random()
                if roll < 0.25:
                    users[f"u{next_user}"] = rng.random() < 0.6
                    next_user += 1
                elif roll < 0.6 and users:
                    users[rng.choice(sorted(users))] = False  # breaks
                elif roll < 0.9 and users:
                    users[rng.choice(sorted(users))] = True  # fixed
                elif users and len(users) > 1:
                    del users[rng.choice(sorted(users))]  # removed
            started = DAY0 + dt.timedelta(days=day, hours=6)
            if day % 9 == 4:  # monitoring skipped this day
                truth["skipped"].append(day)
                continue
            partial = day % 13 == 7
            estate.WORLD["denied"] = {"222"} if partial else set()
            result, cap = run_estate(started)
            store.record(result, cap)
            if partial:
                truth["partial"].append(day)
                continue
            truth["complete"].append(day)
            for acct, users in accounts.items():
                for name, mfa in users.items():
                    arn = f"arn:estate:{acct}:user/{name}"
                    truth["status"].setdefault(arn, {})[day] = "pass" if mfa else "fail"
    return truth


def _episodes(truth: dict[str, Any], first_day: int, last_day: int) -> list[dict[str, Any]]:
    """Failure episodes from the simulation's own record, observed at complete runs."""
    out = []
    for arn, days in sorted(truth["status"].items()):
        opened = None
        for day in truth["complete"]:
            status = days.get(day, "absent")
            if status == "fail" and opened is None:
                opened = day
            elif status != "fail" and opened is not None:
                out.append((arn, opened, day))
                opened = None
        if opened is not None:
            out.append((arn, opened, None))
    kept = []
    for arn, start, end in out:
        if start > last_day or (end is not None and end < first_day):
            continue
        if end is not None and end > last_day:
            end = None  # fixed after the period: open as far as the period can tell
        t0 = DAY0 + dt.timedelta(days=start, hours=6)
        t1 = (
            DAY0 + dt.timedelta(days=end, hours=6)
            if end is not None
            else DAY0 + dt.timedelta(days=last_day + 1) - dt.timedelta(microseconds=1)
        )
        kept.append(
            {
                "resource_id": arn,
                "first_failed_at": t0,
                "resolved_at": t1 if end is not None else None,
                "sla_breached": t1 - t0 > SLA,
            }
        )
    return kept


def _parse(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("window", [(0, DAYS - 1), (10, 25)])
def test_period_report_matches_the_simulation(
    store_url: str, run_estate: RunEstate, window: tuple[int, int]
) -> None:
    truth = _simulate(store_url, run_estate)
    first, last = window
    start = DAY0 + dt.timedelta(days=first)
    end = DAY0 + dt.timedelta(days=last + 1) - dt.timedelta(microseconds=1)
    with open_store(store_url) as store:
        doc = store.period_report(
            start, end, expected_interval=dt.timedelta(hours=36), sla={"high": SLA}
        )
    jsonschema.validate(doc, period_report_schema())
    expected = _episodes(truth, first, last)
    assert expected, "the simulation produced no failures to test"
    got = [
        {
            "resource_id": d["resource_id"],
            "first_failed_at": _parse(d["first_failed_at"]),
            "resolved_at": _parse(d["resolved_at"]),
            "sla_breached": d["sla_breached"],
        }
        for d in doc["deviations"]
    ]
    key = lambda d: (d["resource_id"], d["first_failed_at"])  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)
    assert any(d["sla_breached"] for d in expected) and not all(d["sla_breached"] for d in expected)

    # gaps: intervals over 36h between the period's edges and the complete runs
    times = [DAY0 + dt.timedelta(days=d, hours=6) for d in truth["complete"] if first <= d <= last]
    points = [start, *times, end]
    want_gaps = [(a, b) for a, b in itertools.pairwise(points) if b - a > dt.timedelta(hours=36)]
    assert want_gaps
    assert [(_parse(g["start"]), _parse(g["end"])) for g in doc["gaps"]] == want_gaps
    in_window = [d for d in truth["partial"] if first <= d <= last]
    assert [r["state"] for r in doc["runs"]["not_complete"]] == ["partial"] * len(in_window)
    assert doc["runs"]["complete"] == len(times)
    (ctl,) = doc["controls"]
    assert ctl["control_id"] == "estate-mfa" and ctl["runs"] == len(times)
    assert ctl["deviations"] == len(expected)
    assert ctl["sla_breaches"] == sum(d["sla_breached"] for d in expected)
    (crit,) = doc["criteria"]
    assert crit["criterion"] == "CC6.1" and crit["pass_rate"] == ctl["pass_rate"]


def test_state_at_returns_what_the_simulation_had(store_url: str, run_estate: RunEstate) -> None:
    truth = _simulate(store_url, run_estate)
    with open_store(store_url) as store:
        for day in range(DAYS):
            at = DAY0 + dt.timedelta(days=day, hours=12)
            run, findings = store.state_at(at)
            done = [d for d in truth["complete"] if d <= day]
            if not done:
                assert run is None
                continue
            seen = done[-1]  # skipped and partial days fall back to the last complete run
            assert run is not None and run.started_at.startswith(
                (DAY0 + dt.timedelta(days=seen)).date().isoformat()
            )
            want = {arn: days[seen] for arn, days in truth["status"].items() if seen in days}
            assert {f.resource_id: f.status.value for f in findings} == want


def test_period_without_runs_is_all_gap(store_url: str) -> None:
    start, end = DAY0, DAY0 + dt.timedelta(days=3)
    with open_store(store_url) as store:
        doc = store.period_report(start, end, expected_interval=dt.timedelta(days=1))
    jsonschema.validate(doc, period_report_schema())
    assert doc["controls"] == [] and doc["deviations"] == []
    assert doc["gaps"] == [
        {
            "start": "2026-01-01T00:00:00.000000Z",
            "end": "2026-01-04T00:00:00.000000Z",
            "duration_seconds": 3 * 86400,
        }
    ]
