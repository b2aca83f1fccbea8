"""``soc2checks demo``: every control against a built-in simulated estate.

The estate is a small company: a moto AWS account (when moto is installed), a fake
GitHub organization served on loopback, and a ``compliance/`` folder of policies and
records. Nothing leaves the machine and no credential is needed. The run goes through
the same plugins, config and engine a real run uses.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from soc2checks._plugins import LoadedPlugin

REPORTS = {
    "json": "findings.json",
    "html": "report.html",
    "markdown": "report.md",
    "junit": "junit.xml",
    "sarif": "findings.sarif",
}

_FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_SESSION_TOKEN": "demo",
    "AWS_DEFAULT_REGION": "us-east-1",
}
_CLEARED_AWS_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN")


@contextlib.contextmanager
def _env(set_: dict[str, str], unset: Sequence[str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (*set_, *unset)}
    try:
        for k in unset:
            os.environ.pop(k, None)
        os.environ.update(set_)
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _missing(*modules: str) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


@contextlib.contextmanager
def simulated_estate(root: Path, today: dt.date) -> Iterator[tuple[Path, list[str], list[str]]]:
    """Start the simulated estate; yields (config path, providers, notes)."""
    from soc2checks.testing.compliance import write_demo_compliance

    notes: list[str] = []
    providers = ["files"]
    write_demo_compliance(root / "compliance", today)
    lines = ["providers = PROVIDERS", "", "[files]", 'path = "compliance"', ""]
    lines += [
        "[report]",
        'title = "SOC 2 readiness: soc2checks demo"',
        'organization = "Example Corp (simulated estate)"',
        'system = "demo AWS account, GitHub organization and policy folder"',
        f"period_start = {(today - dt.timedelta(days=364)).isoformat()}",
        f"period_end = {today.isoformat()}",
        "",
    ]
    with contextlib.ExitStack() as stack:
        missing_aws = _missing("boto3", "moto")
        if missing_aws:
            notes.append(
                f"AWS skipped: {', '.join(missing_aws)} not installed "
                "(pip install 'soc2checks[demo]')"
            )
        else:
            from soc2checks.testing.aws import DEMO_REGION, MotoServer, seed_demo_estate

            stack.enter_context(_env(_FAKE_AWS_ENV, _CLEARED_AWS_ENV))
            moto = stack.enter_context(MotoServer())
            seed_demo_estate(moto.endpoint_url)
            providers.append("aws")
            lines += [
                "[aws]",
                f"endpoint_url = {_toml_str(moto.endpoint_url)}",
                f"regions = [{_toml_str(DEMO_REGION)}]",
                "",
            ]
        missing_gh = _missing("github")
        if missing_gh:
            notes.append("GitHub skipped: PyGithub not installed (pip install 'soc2checks[demo]')")
        else:
            from soc2checks.testing.github import FakeGitHub, demo_world

            world = demo_world()
            gh = stack.enter_context(FakeGitHub(world))
            orgs = sorted(world.get("orgs", {}))
            providers.append("github")
            lines += [
                "[github]",
                f"orgs = [{', '.join(_toml_str(o) for o in orgs)}]",
                f"base_url = {_toml_str(gh.base_url)}",
                'token = "demo-token"',
                "",
            ]
        missing_gcp = _missing("google.cloud.resourcemanager_v3", "googleapiclient")
        if missing_gcp:
            notes.append(
                "GCP skipped: the Google client libraries are not installed "
                "(pip install 'soc2checks[demo]')"
            )
        else:
            from soc2checks.testing.gcp import FakeGcp
            from soc2checks.testing.gcp import demo_world as gcp_world

            gworld = gcp_world()
            gcp = FakeGcp(gworld)
            stack.enter_context(gcp)
            providers.append("gcp")
            lines += [
                "[gcp]",
                f"organization = {_toml_str(gworld['organization']['id'])}",
                f"endpoint = {_toml_str(gcp.base_url)}",
                "anonymous = true",
                "",
                '[params."gcp.iam.external-members"]',
                f"allowed_domains = [{_toml_str(gworld['organization']['domain'])}]",
                "",
            ]
        missing_azure = _missing("azure.mgmt.subscription", "msgraph")
        if missing_azure:
            notes.append(
                "Azure skipped: the Azure SDKs are not installed (pip install 'soc2checks[demo]')"
            )
        else:
            from soc2checks.testing.azure import FakeAzure
            from soc2checks.testing.azure import demo_world as azure_world
            from soc2checks.testing.azure import normalize as azure_normalize

            az = FakeAzure(azure_world())
            stack.enter_context(az)
            stack.enter_context(_env({"SOC2CHECKS_AZURE_TOKEN": az.token}, ()))
            providers.append("azure")
            lines += [
                "[azure]",
                f"tenant_id = {_toml_str(azure_normalize(azure_world())['tenant']['id'])}",
                f"endpoint = {_toml_str(az.base_url)}",
                f"graph_endpoint = {_toml_str(az.graph_url)}",
                'credential = "token"',
                "",
            ]
        text = "\n".join(lines).replace(
            "PROVIDERS", "[" + ", ".join(_toml_str(p) for p in providers) + "]"
        )
        path = root / "soc2checks.toml"
        path.write_text(text, encoding="utf-8")
        yield path, providers, notes


def run_demo(args: argparse.Namespace, options: dict[str, Any], plugins: list[LoadedPlugin]) -> int:
    from soc2checks._config import load_config
    from soc2checks._engine import prepare, run_checks
    from soc2checks._plugins import build_registry, parse_plugin_args

    out_dir = Path(args.output_dir)
    today = dt.datetime.now(dt.timezone.utc).date()
    _, blocked = parse_plugin_args(args.plugin_args)
    with (
        tempfile.TemporaryDirectory(prefix="soc2checks-demo-") as tmp,
        simulated_estate(Path(tmp), today) as (config_path, providers, notes),
    ):
        for n in notes:
            print(f"soc2checks demo: {n}", file=sys.stderr)
        print(
            f"soc2checks demo: simulated estate up ({', '.join(providers)}); running every control",
            file=sys.stderr,
        )
        config = load_config(config_path, options=options)
        registry = build_registry(plugins, blocked=blocked)
        prep = prepare(config=config, registry=registry)
        result = run_checks(prepared=prep, today=today)
        reporters = registry.reporters
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        sys.stdout.write(
            reporters["table"](result, config, color=color, failures_only=bool(args.failures_only))
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        from soc2checks.reporters import report_options

        opts = report_options(registry)
        for fmt, name in REPORTS.items():
            text = reporters[fmt](result, config, **opts)
            (out_dir / name).write_text(text, encoding="utf-8")
    print(
        f"soc2checks demo: reports written to {out_dir}/ "
        f"({', '.join(REPORTS.values())}); open {out_dir / 'report.html'} in a browser",
        file=sys.stderr,
    )
    return 0
