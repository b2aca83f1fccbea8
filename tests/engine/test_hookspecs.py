"""Every hook is typed, documented, and docs/hooks.md matches the hookspecs."""

from __future__ import annotations

import inspect
from pathlib import Path

from soc2checks import hookspecs
from soc2checks._hookdoc import render

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "soc2checks_addoption",
    "soc2checks_register_providers",
    "soc2checks_register_resources",
    "soc2checks_register_controls",
    "soc2checks_register_reporters",
    "soc2checks_record_types",
    "soc2checks_register_frameworks",
    "soc2checks_configure",
    "soc2checks_finding",
    "soc2checks_run_finished",
    "soc2checks_notify",
}


def test_hooks_are_prefixed_typed_and_documented() -> None:
    names = set(hookspecs.hook_names())
    assert names == EXPECTED
    for name in names:
        func = getattr(hookspecs, name)
        assert func.__doc__ and len(inspect.cleandoc(func.__doc__)) > 40, name
        sig = inspect.signature(func)
        assert sig.return_annotation is not inspect.Signature.empty, name
        for p in sig.parameters.values():
            assert p.annotation is not inspect.Parameter.empty, (name, p.name)


def test_docs_hooks_md_is_generated_from_hookspecs() -> None:
    doc = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    assert doc == render(), (
        "docs/hooks.md is stale: run `python -m soc2checks._hookdoc > docs/hooks.md`"
    )
    for name in EXPECTED:
        assert f"## `{name}`" in doc


def test_finding_and_run_finished_hooks_are_called() -> None:
    import types

    from tests.engine import sample_plugin

    from soc2checks import hookimpl
    from soc2checks._config import Config
    from soc2checks._engine import prepare, run_checks
    from soc2checks._plugins import build_registry, wrap_extra

    seen: list[str] = []
    finished: list[int] = []
    configured: list[object] = []
    obs = types.SimpleNamespace(__name__="observer")

    @hookimpl
    def soc2checks_finding(finding):  # type: ignore[no-untyped-def]
        seen.append(finding.check_id)

    @hookimpl
    def soc2checks_run_finished(result, config):  # type: ignore[no-untyped-def]
        finished.append(result.summary.total)

    @hookimpl
    def soc2checks_configure(config):  # type: ignore[no-untyped-def]
        configured.append(config)

    obs.soc2checks_finding = soc2checks_finding
    obs.soc2checks_run_finished = soc2checks_run_finished
    obs.soc2checks_configure = soc2checks_configure
    cfg = Config()
    reg = build_registry(wrap_extra([sample_plugin, obs]))
    result = run_checks(prepared=prepare(config=cfg, registry=reg, checks=["sample.user.mfa"]))
    assert len(seen) == result.summary.total == finished[0] > 0
    assert configured == [cfg]
