"""Finding, loading and collecting plugins into a per-run :class:`Registry`.

Every plugin, first-party or not, is a module named by an entry point in the
``soc2checks`` group, or a file listed under ``plugins`` in the config. A fresh
pluggy manager and registry are built for every run; nothing is global.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from soc2checks import hookspecs
from soc2checks._api import CHECK_ATTR, RESOURCE_ATTR, CheckSpec, Control, ResourceSpec
from soc2checks._catalog import category_of, criteria
from soc2checks._errors import PluginError
from soc2checks._model import PluginInfo
from soc2checks._provider import Provider

ENTRY_POINT_GROUP = "soc2checks"
OWN_DISTRIBUTION = "soc2checks"
AUTOLOAD_ENV = "SOC2CHECKS_DISABLE_PLUGIN_AUTOLOAD"
BUILTIN_FIXTURES = (
    "config",
    "config_dir",
    "today",
    "run_facts",
    "hook",
    "selected_controls",
    "fixture_lookup",
)


@dataclass
class LoadedPlugin:
    """A plugin module and where it came from."""

    name: str
    module: object
    distribution: str | None = None
    version: str | None = None
    origin: str = ""
    kind: str = "entry point"
    """Where it came from: ``entry point``, ``file`` (a config's ``plugins`` path),
    ``module`` (``-p NAME`` naming no entry point) or ``object`` (``run(plugins=...)``)."""

    def info(self) -> PluginInfo:
        return PluginInfo(name=self.name, distribution=self.distribution, version=self.version)

    def describe(self) -> str:
        """``plugin 'acme' (entry point 'acme' of distribution acme-soc2)``,
        ``plugin 'checks' (file compliance/checks.py)``."""
        if not self.origin:
            where = ""
        elif self.kind == "entry point":
            where = f"entry point '{self.origin}'"
        elif self.kind == "object":
            where = self.origin
        else:
            where = f"{self.kind} {self.origin}"
        if self.distribution:
            where += f" of distribution {self.distribution}"
        return f"plugin '{self.name}'" + (f" ({where.strip()})" if where.strip() else "")

    def source_of(self, module_name: str) -> str:
        """How to name ``module_name`` in a message: the file for a local plugin."""
        if self.kind == "file" and getattr(self.module, "__name__", None) == module_name:
            return f"file {self.origin}"
        return f"module {module_name}"


@dataclass(frozen=True)
class FixtureDef:
    """A resource or scope fixture with its resolved provider and origin."""

    spec: ResourceSpec
    provider: str | None
    plugin: str

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True, eq=False)
class CheckDef:
    """A check with its control, provider and origin resolved."""

    spec: CheckSpec
    control: Control
    provider: str
    plugin: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def criteria(self) -> tuple[str, ...]:
        return self.control.criteria

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c for c in (category_of(x) for x in self.criteria) if c)

    @property
    def inputs(self) -> tuple[str, ...]:
        head = (self.spec.over,) if self.spec.over else ()
        return head + self.spec.fixtures


@dataclass
class Registry:
    """Everything the loaded plugins declare, for one run."""

    pm: pluggy.PluginManager
    plugins: list[LoadedPlugin] = field(default_factory=list)
    providers: dict[str, Provider] = field(default_factory=dict)
    fixtures: dict[str, FixtureDef] = field(default_factory=dict)
    controls: dict[str, Control] = field(default_factory=dict)
    checks: dict[str, CheckDef] = field(default_factory=dict)
    reporters: dict[str, Callable[..., str]] = field(default_factory=dict)
    blocked: frozenset[str] = frozenset()

    def fixture_closure(self, names: Iterable[str]) -> list[str]:
        """Every fixture the given ones depend on, dependencies first."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen or name in BUILTIN_FIXTURES:
                return
            seen.add(name)
            for dep in self.fixtures[name].spec.fixtures:
                visit(dep)
            order.append(name)

        for n in names:
            visit(n)
        return order

    def fanouts_of(self, names: Iterable[str]) -> list[str]:
        """The scope fixtures among ``names``' closure, parents first."""
        return [n for n in self.fixture_closure(names) if self.fixtures[n].spec.fanout]

    def permissions_of(self, check: CheckDef) -> list[str]:
        perms: set[str] = set()
        for name in self.fixture_closure(check.inputs):
            perms.update(self.fixtures[name].spec.permissions)
        return sorted(perms)


def _dist_of(ep: metadata.EntryPoint) -> tuple[str | None, str | None]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return None, None
    return dist.metadata["Name"], dist.version


def _load_local(path: Path, display: str) -> ModuleType:
    if not path.is_file():
        raise PluginError(f"local plugin '{display}': file not found ({path})")
    mod_name = "soc2checks_local_" + "".join(
        ch if ch.isalnum() else "_" for ch in str(path.resolve())
    )
    spec = importlib.util.spec_from_file_location(mod_name, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"local plugin '{display}': cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[mod_name]
        raise PluginError(
            f"local plugin '{display}' failed to import: {type(exc).__name__}: {exc}"
        ) from exc
    return module


def _entry_points() -> list[metadata.EntryPoint]:
    eps = metadata.entry_points(group=ENTRY_POINT_GROUP)
    unique: dict[str, metadata.EntryPoint] = {}
    for ep in eps:
        unique.setdefault(ep.name, ep)
    return sorted(unique.values(), key=lambda e: e.name)


def parse_plugin_args(args: Sequence[str]) -> tuple[list[str], set[str]]:
    """Split ``-p`` values into explicitly requested and blocked (``no:NAME``)."""
    wanted: list[str] = []
    blocked: set[str] = set()
    for a in args:
        if a.startswith("no:"):
            blocked.add(a[3:])
        else:
            wanted.append(a)
    return wanted, blocked


def discover_entry_points(plugin_args: Sequence[str] = ()) -> list[LoadedPlugin]:
    """Import the entry-point plugins this run should load, sorted by name."""
    wanted, blocked = parse_plugin_args(plugin_args)
    autoload = os.environ.get(AUTOLOAD_ENV, "").strip() in ("", "0", "false", "no")
    loaded: list[LoadedPlugin] = []
    names_seen: set[str] = set()
    for ep in _entry_points():
        dist, version = _dist_of(ep)
        if ep.name in blocked:
            continue
        if not autoload and dist != OWN_DISTRIBUTION and ep.name not in wanted:
            continue
        try:
            module = ep.load()
        except Exception as exc:
            raise PluginError(
                f"plugin '{ep.name}' (entry point '{ep.value}' of distribution "
                f"{dist or 'unknown'}) failed to load: {type(exc).__name__}: {exc}"
            ) from exc
        loaded.append(LoadedPlugin(ep.name, module, dist, version, ep.value))
        names_seen.add(ep.name)
    for name in wanted:
        if name in names_seen:
            continue
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            raise PluginError(
                f"-p {name}: no entry point of that name and no importable module "
                f"({type(exc).__name__}: {exc})"
            ) from exc
        loaded.append(LoadedPlugin(name, module, None, None, name, kind="module"))
        names_seen.add(name)
    return loaded


def discover_local(
    paths: Sequence[str], root: Path | None = None, plugin_args: Sequence[str] = ()
) -> list[LoadedPlugin]:
    """Import the plugin files a config lists, relative to the config's folder."""
    _, blocked = parse_plugin_args(plugin_args)
    base = root or Path.cwd()
    loaded = []
    for entry in paths:
        path = Path(entry) if Path(entry).is_absolute() else base / entry
        name = Path(entry).stem
        if name in blocked:
            continue
        loaded.append(LoadedPlugin(name, _load_local(path, entry), None, None, entry, kind="file"))
    return loaded


def wrap_extra(extra: Sequence[object]) -> list[LoadedPlugin]:
    """Plugins passed as objects to :func:`soc2checks.run`."""
    out = []
    for i, obj in enumerate(extra):
        name = str(getattr(obj, "__name__", None) or f"extra{i}").rsplit(".", 1)[-1]
        out.append(LoadedPlugin(name, obj, None, None, "soc2checks.run(plugins=...)", "object"))
    return out


def discover(
    *,
    plugin_args: Sequence[str] = (),
    local_paths: Sequence[str] = (),
    root: Path | None = None,
    extra: Sequence[object] = (),
) -> list[LoadedPlugin]:
    """Import every plugin this run should load, in a stable order."""
    return [
        *discover_entry_points(plugin_args),
        *discover_local(local_paths, root, plugin_args),
        *wrap_extra(extra),
    ]


def _members(obj: object) -> Iterable[object]:
    if isinstance(obj, ModuleType):
        return list(vars(obj).values())
    return [obj]


def _suggest(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=3)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


class _Collector:
    def __init__(self, registry: Registry) -> None:
        self.r = registry
        self.seen_funcs: set[int] = set()
        self.raw_checks: list[tuple[CheckSpec, LoadedPlugin]] = []
        self.control_plugins: dict[str, LoadedPlugin] = {}

    def add_objects(self, objects: Iterable[object], plugin: LoadedPlugin) -> None:
        for obj in objects:
            for member in _members(obj):
                self.add(member, plugin)

    def add(self, obj: object, plugin: LoadedPlugin) -> None:
        if isinstance(obj, Control):
            self.add_control(obj, plugin)
            return
        if not callable(obj) or id(obj) in self.seen_funcs:
            return
        rspec = getattr(obj, RESOURCE_ATTR, None)
        cspec = getattr(obj, CHECK_ATTR, None)
        if isinstance(rspec, ResourceSpec):
            self.seen_funcs.add(id(obj))
            self.add_fixture(rspec, plugin)
        if isinstance(cspec, CheckSpec):
            self.seen_funcs.add(id(obj))
            self.raw_checks.append((cspec, plugin))
            if isinstance(cspec.control, Control):
                self.add_control(cspec.control, plugin)

    def _plugin(self, name: str) -> LoadedPlugin | None:
        return next((p for p in self.r.plugins if p.name == name), None)

    def _twice(self, what: str, plugin: LoadedPlugin, other: LoadedPlugin | None) -> PluginError:
        """Something defined by two plugins: name both sources and how to drop one."""
        if other is None or other.name == plugin.name:
            return PluginError(f"{plugin.describe()}: {what} is defined twice")
        blockable = [p.name for p in (plugin, other) if p.kind in ("entry point", "file")]
        hint = ""
        if blockable:
            alt = f" (or -p no:{blockable[1]})" if len(blockable) > 1 else ""
            hint = f"; if one is a copy of the other, load only one: -p no:{blockable[0]}{alt}"
        return PluginError(
            f"{what} is defined by both {other.describe()} and {plugin.describe()}{hint}"
        )

    def add_control(self, ctl: Control, plugin: LoadedPlugin) -> None:
        existing = self.r.controls.get(ctl.id)
        if existing is not None and existing is not ctl and existing != ctl:
            owner = self.control_plugins.get(ctl.id)
            if owner is not None and owner.name != plugin.name:
                raise self._twice(f"control '{ctl.id}'", plugin, owner)
            first = owner.source_of(existing.module) if owner else f"module {existing.module}"
            raise PluginError(
                f"{plugin.describe()}: control '{ctl.id}' is declared twice with different "
                f"definitions (in {first} and {plugin.source_of(ctl.module)})"
            )
        known = criteria()
        for c in ctl.criteria:
            if c not in known:
                raise PluginError(
                    f"{plugin.describe()}: control '{ctl.id}' maps to unknown criterion "
                    f"'{c}'{_suggest(c, known)}"
                )
        if not ctl.criteria:
            raise PluginError(f"{plugin.describe()}: control '{ctl.id}' maps to no criterion")
        self.r.controls.setdefault(ctl.id, ctl)
        self.control_plugins.setdefault(ctl.id, plugin)

    def add_fixture(self, spec: ResourceSpec, plugin: LoadedPlugin) -> None:
        if spec.name in BUILTIN_FIXTURES:
            raise PluginError(f"{plugin.describe()}: fixture name '{spec.name}' is reserved")
        existing = self.r.fixtures.get(spec.name)
        if existing is not None and existing.spec.func is not spec.func:
            raise self._twice(f"fixture '{spec.name}'", plugin, self._plugin(existing.plugin))
        self.r.fixtures[spec.name] = FixtureDef(spec, spec.provider or plugin.name, plugin.name)

    def finish(self) -> None:
        self._check_fixture_graph()
        for spec, plugin in self.raw_checks:
            self.add_check(spec, plugin)

    def _check_fixture_graph(self) -> None:
        names = set(self.r.fixtures) | set(BUILTIN_FIXTURES)
        for fx in self.r.fixtures.values():
            for dep in fx.spec.fixtures:
                if dep not in names:
                    raise PluginError(
                        f"plugin '{fx.plugin}': fixture '{fx.name}' parameter '{dep}': no "
                        f"fixture of that name{_suggest(dep, names)}"
                    )
        state: dict[str, int] = {}

        def visit(name: str, path: list[str]) -> None:
            if name in BUILTIN_FIXTURES:
                return
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = [*path[path.index(name) :], name]
                raise PluginError(
                    f"plugin '{self.r.fixtures[name].plugin}': fixture dependency cycle: "
                    + " -> ".join(cycle)
                )
            state[name] = 1
            for dep in self.r.fixtures[name].spec.fixtures:
                visit(dep, [*path, name])
            state[name] = 2

        for n in sorted(self.r.fixtures):
            visit(n, [])
        for fx in self.r.fixtures.values():
            self._check_declared_scope(fx)

    def _check_declared_scope(self, fx: FixtureDef) -> None:
        declared = fx.spec.scope
        if declared is None or fx.spec.fanout:
            return
        fanouts = self.r.fanouts_of(fx.spec.fixtures)
        levels = [self.r.fixtures[f].spec.scope for f in fanouts]
        if declared == "run":
            if fanouts:
                raise PluginError(
                    f"plugin '{fx.plugin}': fixture '{fx.name}' declares scope 'run' but "
                    f"depends on scope fixture '{fanouts[-1]}'"
                )
            return
        if declared not in levels:
            raise PluginError(
                f"plugin '{fx.plugin}': fixture '{fx.name}' declares scope '{declared}' but "
                "takes no fixture of that scope "
                f"(its scopes: {', '.join(map(str, levels)) or 'run'})"
            )

    def add_check(self, spec: CheckSpec, plugin: LoadedPlugin) -> None:
        names = set(self.r.fixtures) | set(BUILTIN_FIXTURES)
        missing = [n for n in ((spec.over,) if spec.over else ()) + spec.fixtures if n not in names]
        if missing:
            if spec.id.split(".", 1)[0] in self.r.blocked:
                return  # its provider was blocked with -p no:NAME
            n = missing[0]
            what = "over=" if n == spec.over else "parameter "
            raise PluginError(
                f"{plugin.describe()}: check '{spec.id}' {what}'{n}': no fixture of that "
                f"name{_suggest(n, names)}; available: {', '.join(sorted(names))}"
            )
        if spec.id in self.r.checks:
            other = self.r.checks[spec.id]
            owner = self._plugin(other.plugin)
            if owner is None or owner.name == plugin.name:
                where = owner.source_of(other.spec.func.__module__) if owner else ""
                raise PluginError(
                    f"{plugin.describe()}: check ID '{spec.id}' is used twice"
                    + (f" (in {where}: {other.spec.func.__qualname__})" if where else "")
                )
            raise self._twice(f"check '{spec.id}'", plugin, owner)
        if isinstance(spec.control, Control):
            ctl = spec.control
        else:
            found = self.r.controls.get(spec.control)
            if found is None:
                raise PluginError(
                    f"{plugin.describe()}: check '{spec.id}' names unknown control "
                    f"'{spec.control}'{_suggest(spec.control, self.r.controls)}"
                )
            ctl = found
        provider = spec.provider
        if provider is None:
            for n in ((spec.over,) if spec.over else ()) + spec.fixtures:
                fx = self.r.fixtures.get(n)
                if fx is not None and fx.provider:
                    provider = fx.provider
                    break
        self.r.checks[spec.id] = CheckDef(spec, ctl, provider or plugin.name, plugin.name)


def _hook_results(
    pm: pluggy.PluginManager, hook_name: str, plugin_by_module: dict[int, LoadedPlugin]
) -> Iterable[tuple[LoadedPlugin, Any]]:
    caller = getattr(pm.hook, hook_name)
    for impl in caller.get_hookimpls():
        plugin = plugin_by_module.get(id(impl.plugin))
        if plugin is None:
            continue
        try:
            result = impl.function()
        except Exception as exc:
            raise PluginError(
                f"{plugin.describe()}: hook {hook_name} raised {type(exc).__name__}: {exc}"
            ) from exc
        yield plugin, result


def build_registry(plugins: Sequence[LoadedPlugin], *, blocked: Iterable[str] = ()) -> Registry:
    """Register plugins with a fresh pluggy manager and collect what they declare."""
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    registry = Registry(pm=pm, plugins=list(plugins), blocked=frozenset(blocked))
    by_module: dict[int, LoadedPlugin] = {}
    for p in plugins:
        try:
            if pm.is_registered(p.module):
                continue
            pm.register(p.module, name=p.name)
        except Exception as exc:
            raise PluginError(f"{p.describe()}: {type(exc).__name__}: {exc}") from exc
        by_module[id(p.module)] = p
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin '{pm.get_name(exc.plugin)}': {exc}") from exc

    collector = _Collector(registry)
    for plugin, result in _hook_results(pm, "soc2checks_register_providers", by_module):
        for prov in result or ():
            if not isinstance(prov, Provider):
                raise PluginError(
                    f"{plugin.describe()}: soc2checks_register_providers returned "
                    f"{type(prov).__name__}, expected soc2checks.Provider"
                )
            if prov.name in registry.providers:
                raise PluginError(
                    f"{plugin.describe()}: provider '{prov.name}' is already registered"
                )
            registry.providers[prov.name] = prov
    for p in plugins:
        collector.add_objects([p.module], p)
    for hook in ("soc2checks_register_resources", "soc2checks_register_controls"):
        for plugin, result in _hook_results(pm, hook, by_module):
            collector.add_objects(result or (), plugin)
    reporter_owner: dict[str, str] = {}
    for plugin, result in _hook_results(pm, "soc2checks_register_reporters", by_module):
        for name, render in dict(result or {}).items():
            if not callable(render):
                raise PluginError(f"{plugin.describe()}: reporter '{name}' is not callable")
            if name in registry.reporters:
                raise PluginError(
                    f"{plugin.describe()}: reporter '{name}' is already registered by plugin "
                    f"'{reporter_owner[name]}'; register it under another name"
                )
            registry.reporters[name] = render
            reporter_owner[name] = plugin.name
    collector.finish()
    return registry


def load_registry(
    *,
    plugin_args: Sequence[str] = (),
    local_paths: Sequence[str] = (),
    root: Path | None = None,
    extra: Sequence[object] = (),
) -> Registry:
    plugins = discover(plugin_args=plugin_args, local_paths=local_paths, root=root, extra=extra)
    _, blocked = parse_plugin_args(plugin_args)
    return build_registry(plugins, blocked=blocked)
