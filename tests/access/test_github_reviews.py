"""Access reviews over GitHub principals: the fake GitHub reached by the real client."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.access_helpers import (
    TODAY,
    by_check,
    close,
    days_ago,
    entries,
    fill,
    keep_all,
    redate,
    start,
)

from soc2checks import RunResult
from soc2checks.testing.github import FakeGitHub

Start = Callable[..., FakeGitHub]
Config = Callable[..., Path]
Run = Callable[[Path], RunResult]
ACME = "github:acme"


def _status(result: RunResult, check: str) -> dict[str, str]:
    return {k: f.status.value for k, f in by_check(result, check).items()}


def _with_notes(entry: dict[str, Any]) -> dict[str, Any]:
    return {**keep_all()(entry), "note": "on-call rota" if entry["privileged"] else None}


def test_round_trip_start_fill_close_then_checks_pass(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    run_access: Run,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = github_config(fake_github(world))
    [path] = start(cfg, ACME, capsys=capsys)
    assert path.parent == cfg.parent / "compliance" / "access-reviews"
    got = entries(path)
    logins = {m["login"] for m in world["orgs"]["acme"]["members"]}
    logins |= {c["login"] for c in world["orgs"]["acme"]["outside_collaborators"]}
    assert {e["account"] for e in got} == logins
    assert all(e["decision"] == "pending" and e["change"] == "NEW" for e in got)
    flagged = [bool(e["flags"]) for e in got]
    assert flagged == sorted(flagged, reverse=True), "flagged principals come first"
    dave = next(e for e in got if e["account"] == "dave-founder")
    assert dave["flags"] == ["privileged", "no-mfa"]
    dana = next(e for e in got if e["account"] == "contractor-dana")
    assert dana["external"] is True and "privileged" in dana["flags"]  # admin on a repository

    fill(path, _with_notes)
    rc, line = close(path, capsys)
    assert rc == 0, line
    assert "completed" in path.read_text()

    result = run_access(cfg)
    assert _status(result, "access.review.recent") == {ACME: "pass"}
    assert set(_status(result, "access.review.coverage").values()) == {"pass"}
    assert len(_status(result, "access.review.coverage")) == len(logins)
    assert set(_status(result, "access.review.no-self-review").values()) == {"pass"}
    assert set(_status(result, "access.review.privileged-justified").values()) <= {"pass", "skip"}
    assert "pass" in _status(result, "access.review.privileged-justified").values()

    # A second review compares against the completed one.
    world2 = world
    world2["orgs"]["acme"]["members"][4]["role"] = "admin"  # erin-dev becomes an owner
    world2["orgs"]["acme"]["members"].append({"login": "new-hire", "role": "member"})
    cfg2 = github_config(fake_github(world2))
    redate(path, days_ago(1), days_ago(1))  # the first review was yesterday
    [second] = start(cfg2, ACME, capsys=capsys)
    change = {e["account"]: e["change"] for e in entries(second)}
    assert change["erin-dev"] == "CHANGED"
    assert change["new-hire"] == "NEW"
    assert change["frank-dev"] == "UNCHANGED"


def test_close_refuses_pending(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    capsys: pytest.CaptureFixture[str],
) -> None:
    [path] = start(github_config(fake_github(world)), ACME, capsys=capsys)
    fill(path, lambda e: None if e["account"] == "heidi-qa" else keep_all()(e))
    rc, line = close(path, capsys)
    assert rc == 2
    assert "github:acme/heidi-qa is still pending" in line and len(line.splitlines()) == 1
    assert "status: open" in path.read_text()


def test_close_refuses_self_review(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    capsys: pytest.CaptureFixture[str],
) -> None:
    [path] = start(github_config(fake_github(world)), ACME, capsys=capsys)
    fill(
        path, lambda e: keep_all(e["account"] if e["account"] == "bob-sre" else "lead-reviewer")(e)
    )
    rc, line = close(path, capsys)
    assert rc == 2
    assert "bob-sre reviewed their own account github:acme/bob-sre" in line


def test_close_refuses_tampered_snapshot(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    capsys: pytest.CaptureFixture[str],
) -> None:
    [path] = start(github_config(fake_github(world)), ACME, capsys=capsys)
    fill(path, keep_all())
    text = path.read_text()
    # Someone downgrades an owner to look unprivileged after the snapshot.
    tampered = text.replace(
        "kind: org-owner\n  privileged: true", "kind: org-owner\n  privileged: false", 1
    )
    assert tampered != text
    path.write_text(tampered)
    rc, line = close(path, capsys)
    assert rc == 2
    digest_line = next(i for i, t in enumerate(tampered.splitlines(), 1) if t.startswith("digest:"))
    assert f"{path}:{digest_line}:" in line and "digest" in line


def test_close_refuses_a_completed_review_and_bad_decisions(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    capsys: pytest.CaptureFixture[str],
) -> None:
    [path] = start(github_config(fake_github(world)), ACME, capsys=capsys)
    fill(path, lambda e: {"decision": "maybe"} if e["account"] == "ivan-data" else keep_all()(e))
    rc, line = close(path, capsys)
    assert rc == 2 and "decision 'maybe'" in line
    fill(path, keep_all())
    assert close(path, capsys)[0] == 0
    rc, line = close(path, capsys)
    assert rc == 2 and "already completed" in line


def test_recent_fails_when_old_and_without_any_review(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    run_access: Run,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = github_config(fake_github(world))
    assert _status(run_access(cfg), "access.review.recent") == {ACME: "fail"}
    [path] = start(cfg, ACME, capsys=capsys)
    fill(path, _with_notes)
    path = redate(path, days_ago(120), days_ago(100))
    result = run_access(cfg)
    recent = by_check(result, "access.review.recent")[ACME]
    assert recent.status.value == "fail" and "100 days old" in recent.message
    redate(path, days_ago(40), days_ago(30))
    assert _status(run_access(cfg), "access.review.recent") == {ACME: "pass"}


def test_coverage_fails_for_a_member_added_without_review(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    run_access: Run,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = github_config(fake_github(world))
    [path] = start(cfg, ACME, capsys=capsys)
    fill(path, _with_notes)
    redate(path, days_ago(10), days_ago(9))
    world["orgs"]["acme"]["members"].append({"login": "mallory", "role": "admin"})
    result = run_access(github_config(fake_github(world)))
    coverage = _status(result, "access.review.coverage")
    assert coverage.pop("github:acme/mallory") == "fail"  # GitHub gives no join date
    assert set(coverage.values()) == {"pass"}


def test_revocations_fail_after_the_sla_naming_the_account(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    run_access: Run,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = github_config(fake_github(world))
    [path] = start(cfg, ACME, capsys=capsys)

    def decide(e: dict[str, Any]) -> dict[str, Any]:
        if e["account"] in ("contractor-dana", "judy-design"):
            return {
                "decision": "revoke",
                "reviewer": "carol-secops",
                "reviewed_on": days_ago(10).isoformat(),
                "note": "contract ended",
            }
        return _with_notes(e)

    fill(path, decide)
    redate(path, days_ago(12), days_ago(9))
    # judy-design was removed; contractor-dana still has access 10 days later.
    acme = world["orgs"]["acme"]
    acme["members"] = [m for m in acme["members"] if m["login"] != "judy-design"]
    result = run_access(github_config(fake_github(world)))
    found = {
        f.resource_id.rsplit("#", 1)[1]: f
        for f in by_check(result, "access.review.revocations-done").values()
    }
    assert found["github:acme/judy-design"].status.value == "pass"
    dana = found["github:acme/contractor-dana"]
    assert dana.status.value == "fail" and "contractor-dana" in dana.message
    assert found["github:acme/erin-dev"].status.value == "skip"  # kept, not revoked


def test_revocation_within_the_sla_is_not_yet_judged(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    run_access: Run,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = github_config(fake_github(world))
    [path] = start(cfg, ACME, capsys=capsys)
    fill(
        path,
        lambda e: (
            {
                "decision": "revoke",
                "reviewer": "carol-secops",
                "reviewed_on": days_ago(2).isoformat(),
            }
            if e["account"] == "pentest-oscar"
            else _with_notes(e)
        ),
    )
    redate(path, days_ago(3), days_ago(2))
    result = run_access(cfg)
    oscar = next(
        f
        for f in by_check(result, "access.review.revocations-done").values()
        if f.resource_id.endswith("pentest-oscar")
    )
    assert oscar.status.value == "skip" and "due by" in oscar.message


def test_privileged_kept_without_note_fails_and_self_review_in_completed_file_fails(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    run_access: Run,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = github_config(fake_github(world))
    [path] = start(cfg, ACME, capsys=capsys)
    fill(path, lambda e: keep_all("alice-cto")(e))  # no notes; alice reviews herself too
    redate(path, TODAY, TODAY)  # completed by hand, without `close`
    result = run_access(cfg)
    justified = {
        k.rsplit("/", 1)[1]: v
        for k, v in _status(result, "access.review.privileged-justified").items()
    }
    assert justified["alice-cto"] == "fail" and justified["bob-sre"] == "fail"
    assert justified["erin-dev"] == "skip"
    self_review = {
        k.rsplit("/", 1)[1]: v for k, v in _status(result, "access.review.no-self-review").items()
    }
    assert self_review.pop("alice-cto") == "fail"
    assert set(self_review.values()) == {"pass"}


def test_malformed_and_half_filled_files_are_errors_naming_file_and_line(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    run_access: Run,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = github_config(fake_github(world))
    [path] = start(cfg, ACME, capsys=capsys)
    fill(path, lambda e: None if e["account"] == "frank-dev" else _with_notes(e))
    path = redate(path, days_ago(3), days_ago(2))  # "completed" with a pending decision
    result = run_access(cfg)
    recent = by_check(result, "access.review.recent")[ACME]
    assert recent.status.value == "error"
    rel = path.relative_to(cfg.parent)
    pending_line = next(
        i
        for i, t in enumerate(path.read_text().splitlines(), 1)
        if t.strip() == "decision: pending"
    )
    assert (
        f"{rel}:{pending_line}: completed, but github:acme/frank-dev is still pending"
        in recent.message
    )
    assert {f.status.value for f in result.findings} == {"error"}

    path.write_text("system: github:acme\nentries: [\n")
    broken = by_check(run_access(cfg), "access.review.recent")[ACME]
    assert (
        broken.status.value == "error"
        and f"{rel}:" in broken.message
        and "invalid YAML" in broken.message
    )


def test_unfetchable_principals_are_errors_never_covered(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    run_access: Run,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = github_config(fake_github(world), orgs=("acme", "ghost"))
    result = run_access(cfg)
    ghost = [f for f in result.findings if "ghost" in f.resource_id or "ghost" in f.message]
    assert ghost and {f.status.value for f in ghost} == {"error"}
    assert {f.check_id for f in ghost} >= {"access.review.recent", "access.review.coverage"}
    rc = __import__("soc2checks.cli", fromlist=["main"]).main(
        ["access-review", "start", "github:ghost", "-c", str(cfg)]
    )
    err = capsys.readouterr().err
    assert rc == 2 and "github:ghost" in err and len(err.strip().splitlines()) == 1


def test_start_refuses_an_unknown_system(
    fake_github: Start,
    world: dict[str, Any],
    github_config: Config,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from soc2checks.cli import main

    cfg = github_config(fake_github(world))
    assert main(["access-review", "start", "github:other", "-c", str(cfg)]) == 2
    assert "unknown system 'github:other'; known: github:acme" in capsys.readouterr().err
