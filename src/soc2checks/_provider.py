"""The provider descriptor a plugin returns from ``soc2checks_register_providers``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel


def _plain_permissions(actions: Sequence[str]) -> str:
    return "\n".join(sorted(set(actions))) + ("\n" if actions else "")


@dataclass(frozen=True)
class Provider:
    """A source of resources, such as ``aws`` or ``github``.

    Attributes:
        name: the provider name used by ``--provider`` and in findings; also the
            name of its table in the config file (``[aws]``).
        title: a human name for listings.
        settings: a pydantic model validating the provider's config table; the
            validated instance is ``config.settings(name)``.
        requires: importable module names the provider needs at run time.
        extra: the pip extra that installs them (``soc2checks[aws]``).
        render_permissions: turns the declared permissions of the selected checks
            into the provider's native policy format (an IAM policy document for
            AWS). Called as ``render(actions)``, or ``render(actions, config=config)``
            when it takes a ``config`` parameter, so the policy can fit the
            configured mode.
    """

    name: str
    title: str = ""
    settings: type[BaseModel] | None = None
    requires: tuple[str, ...] = ()
    extra: str | None = None
    render_permissions: Callable[..., str] = field(default=_plain_permissions)
    evidence: str = "automated"
    """The kind of evidence its checks give, as ``list criteria`` and ``readiness`` show
    it: ``automated`` (an API shows it), ``records`` (the trail a procedure operated)
    or ``documents`` (approved, reviewed policies)."""
    document_fixtures: tuple[str, ...] = ()
    """Fixtures whose resources are documents: a check reading one of them gives
    ``documents`` evidence whatever ``evidence`` says."""

    def permissions_text(self, actions: Sequence[str], config: object = None) -> str:
        """The rendered policy, passing ``config`` to renderers that take it."""
        import inspect

        render = self.render_permissions
        try:
            takes_config = "config" in inspect.signature(render).parameters
        except (TypeError, ValueError):
            takes_config = False
        return render(actions, config=config) if takes_config else render(actions)
