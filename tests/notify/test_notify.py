"""Notifications after a gated run: the notify hook and the webhook, against a real
loopback HTTP receiver."""

from __future__ import annotations

import json
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from soc2checks.cli import main
from soc2checks.testing import LoopbackServer
from soc2checks.testing._loopback import Request, Response

PLUGIN = textwrap.dedent(
    '''
    import json
    from pathlib import Path
    from pydantic import BaseModel
    from soc2checks import control, hookimpl, resource

    class Laptop(BaseModel):
        resource_id: str
        encrypted: bool | None

    @resource("laptops", scope="run", resource_type="Acme::Laptop")
    def laptops():
        fleet = json.loads(Path("fleet.json").read_text())
        return [Laptop(resource_id=n, encrypted=e) for n, e in sorted(fleet.items())]

    disk = control("laptop-disk-encryption", criteria=["CC6.1"])

    @disk.check("acme.laptop.disk-encrypted", over="laptops", severity="high")
    def disk_encrypted(laptop):
        """Laptop disks are encrypted."""
        if laptop.encrypted is None:
            raise RuntimeError("MDM API timed out")
        assert laptop.encrypted, f"{laptop.resource_id} is not encrypted"

    @hookimpl
    def soc2checks_notify(finding, kind, result, config):
        if Path("hook-raises").exists():
            raise ValueError("pager is down")
        with open("notified.log", "a") as fh:
            fh.write(f"{kind} {finding.check_id} {finding.resource_id} {len(result.findings)}\\n")
    '''
)


class Receiver(LoopbackServer):
    """A webhook receiver: stores bodies; can fail the first N requests or all."""

    def __init__(self, *, fail: int = 0, status: int = 500, delay: float = 0.0) -> None:
        super().__init__(delay=delay)
        self.fail, self.status = fail, status
        self.bodies: list[Any] = []
        self._guard = threading.Lock()
        self.route("POST", "/hooks/{token}", self._hook)

    def before(self, template: str, request: Request) -> Response | None:
        with self._guard:
            if self.fail:
                self.fail -= 1
                return Response(self.status, {"error": "try later"})
        return None

    def _hook(self, request: Request) -> Response:
        with self._guard:
            self.bodies.append(request.body)
        return Response(200, {"ok": True})


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "checks.py").write_text(PLUGIN)
    (tmp_path / "fleet.json").write_text(json.dumps({"mac-1": True, "mac-2": True, "mac-3": True}))
    (tmp_path / "soc2checks.toml").write_text(
        'plugins = ["compliance/checks.py"]\nproviders = ["checks"]\n'
    )
    monkeypatch.chdir(tmp_path)
    assert (
        main(["run", "--no-progress", "--write-baseline", "base.json", "-f", "json:/dev/null"]) == 0
    )
    # now mac-2 regresses and mac-3 cannot be judged
    (tmp_path / "fleet.json").write_text(json.dumps({"mac-1": True, "mac-2": False, "mac-3": None}))
    return tmp_path


def configure(project: Path, notify: str) -> None:
    (project / "soc2checks.toml").write_text(
        'plugins = ["compliance/checks.py"]\nproviders = ["checks"]\n\n[notify]\n' + notify
    )


def gated(*extra: str) -> int:
    return main(["run", "--no-progress", "--baseline", "base.json", "-f", "json:/dev/null", *extra])


def test_hook_and_json_webhook_once_per_regression_and_new_error(project: Path) -> None:
    with Receiver() as rx:
        configure(project, f'webhook = "{rx.base_url}/hooks/T0KEN"\nformat = "json"\n')
        assert gated() == 1  # the gate is what it would be without notifications
        assert (project / "notified.log").read_text().splitlines() == [
            "regression acme.laptop.disk-encrypted mac-2 3",
            "new-error acme.laptop.disk-encrypted mac-3 3",
        ]
        assert [(b["kind"], b["finding"]["resource_id"]) for b in rx.bodies] == [
            ("regression", "mac-2"),
            ("new-error", "mac-3"),
        ]
        first = rx.bodies[0]
        assert first["schema"] == "soc2checks/notification/v1"
        assert first["finding"]["status"] == "fail"
        assert first["finding"]["check_id"] == "acme.laptop.disk-encrypted"
        assert first["finding"]["message"] == "mac-2 is not encrypted"
        assert rx.bodies[1]["finding"]["status"] == "error"
        # a second run with the same baseline notifies again (each gated run reports)
        assert gated() == 1
        assert len(rx.bodies) == 4


def test_no_baseline_no_notification(project: Path) -> None:
    with Receiver() as rx:
        configure(project, f'webhook = "{rx.base_url}/hooks/T0KEN"\n')
        assert main(["run", "--no-progress", "-f", "json:/dev/null"]) == 1
        assert rx.bodies == [] and not (project / "notified.log").exists()


def test_slack_and_teams_payloads(project: Path) -> None:
    with Receiver() as rx:
        configure(project, f'webhook = "{rx.base_url}/hooks/T0KEN"\nformat = "slack"\n')
        gated()
        assert rx.bodies[0] == {
            "text": "*soc2checks regression: acme.laptop.disk-encrypted on mac-2*\n"
            "mac-2 is not encrypted\ncontrol laptop-disk-encryption · criteria CC6.1 · "
            "severity high"
        }
        assert rx.bodies[1]["text"].startswith("*soc2checks new error: ")
        rx.bodies.clear()
        configure(project, f'webhook = "{rx.base_url}/hooks/T0KEN"\nformat = "teams"\n')
        gated()
        (att,) = rx.bodies[0]["attachments"]
        assert rx.bodies[0]["type"] == "message"
        assert att["contentType"] == "application/vnd.microsoft.card.adaptive"
        texts = [block["text"] for block in att["content"]["body"]]
        assert texts[0] == "soc2checks regression: acme.laptop.disk-encrypted on mac-2"
        assert texts[1].startswith("mac-2 is not encrypted")


def test_retries_then_delivers(project: Path) -> None:
    with Receiver(fail=2, status=503) as rx:
        configure(project, f'webhook = "{rx.base_url}/hooks/T0KEN"\nretries = 2\n')
        assert gated() == 1
        assert rx.requests["POST /hooks/{token}"] == 4  # 2 failures + 2 deliveries
        assert len(rx.bodies) == 2


def test_failure_to_notify_is_a_warning_not_a_failure(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Receiver(fail=1000, status=500) as rx:
        configure(project, f'webhook = "{rx.base_url}/hooks/T0KEN"\nretries = 1\n')
        assert gated() == 1
        assert rx.requests["POST /hooks/{token}"] == 4  # 2 findings x 2 attempts
        err = capsys.readouterr().err
        lines = [ln for ln in err.splitlines() if "notify:" in ln]
        assert (
            lines
            == [
                f"soc2checks: warning: notify: {rx.base_url}: HTTP 500 after 2 attempts "
                "(the run is unaffected)"
            ]
            * 2
        )
        assert "T0KEN" not in err  # the webhook's secret path is never printed


def test_client_error_is_not_retried(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Receiver(fail=1000, status=404) as rx:
        configure(project, f'webhook = "{rx.base_url}/hooks/T0KEN"\nretries = 3\n')
        assert gated() == 1
        assert rx.requests["POST /hooks/{token}"] == 2
        assert "HTTP 404, not retried" in capsys.readouterr().err


def test_timeout(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Receiver(delay=0.8) as rx:
        configure(project, f'webhook = "{rx.base_url}/hooks/T0KEN"\ntimeout = 0.1\nretries = 0\n')
        t0 = time.perf_counter()
        assert gated() == 1
        assert time.perf_counter() - t0 < 0.8 * 2  # two findings, neither waited for
        assert "timed out after 1 attempt (the run is unaffected)" in capsys.readouterr().err
        # let the receiver finish its late answers here, not during the next test
        time.sleep(1.0)


def test_unreachable_webhook(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rx = Receiver().start()
    url = rx.base_url
    rx.stop()  # nothing listens there any more
    configure(project, f'webhook = "{url}/hooks/T0KEN"\nretries = 0\n')
    assert gated() == 1
    assert capsys.readouterr().err.count("notify: http://127.0.0.1:") == 2


def test_raising_hook_is_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "hook-raises").write_text("")
    assert gated() == 1
    err = capsys.readouterr().err
    assert "notify: plugin 'checks' raised ValueError: pager is down" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ('webhok = "https://example.com/x"\n', "webhok"),
        ('webhook = "ftp://example.com/x"\n', "http:// or https://"),
        ('webhook = "https://example.com/x"\nformat = "discord"\n', "format"),
        ("timeout = 0\n", "timeout"),
    ],
)
def test_notify_table_is_validated(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, needle: str
) -> None:
    configure(project, table)
    assert gated() == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "notify" in err
