"""Presets: ready-made metric sources for the services a marketing team already uses.

A preset turns a few values a marketer knows (a GA4 property id, a site, a campaign id)
into an ordinary source: the kind, URL, method, headers, body, selectors and auth that
``mtui source add`` would otherwise need spelled out. The source it writes is shown in
full by ``source ls`` and ``source test``; nothing about a preset is hidden or stored
apart from the source.

Each preset lives in its own module in this package and exposes ``PRESET``; the
registry finds them by listing the package, so adding a preset is adding one file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mtui.core.errors import ValidationError


@dataclass(frozen=True)
class PresetOption:
    """One value the user gives (``--set property=123456`` or a named CLI option)."""

    name: str
    help: str
    required: bool = True
    default: str | None = None


@dataclass(frozen=True)
class Preset:
    """How to build a source for one service.

    ``needs`` says what to set up outside mtui, in one or two lines: the environment
    variable that holds the secret (never the secret), the ids to look up, the scopes or
    roles to grant. ``build`` gets every option's value (defaults filled in) and returns
    the source's fields (``kind``, ``url``, ``method``, ``headers``, ``body``,
    ``selectors``, ``auth_type``, ``auth_env``, ``auth_param``, ``interval_seconds``…), as
    ``MetricsRepository.save_metric_source`` takes them.
    """

    name: str
    summary: str
    needs: str
    options: tuple[PresetOption, ...]
    build: Callable[[Mapping[str, str]], dict[str, Any]]
    default_env: str | None = None  # the variable the docs suggest, e.g. "GA4_KEY"
    notes: tuple[str, ...] = field(default=())
    # What the service's metrics are (``bounce_rate``: ``percent``…; see metrics.units):
    # a source gets the unit of each of its metric keys listed here.
    units: Mapping[str, str] = field(default_factory=dict)

    def source_fields(self, values: Mapping[str, str]) -> dict[str, Any]:
        """The source for ``values``; ValidationError naming a missing or unknown option."""
        known = {o.name for o in self.options}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValidationError(
                f"preset {self.name} has no option {unknown[0]!r} "
                f"(it takes: {', '.join(sorted(known)) or 'none'})"
            )
        filled = {o.name: values.get(o.name, o.default) for o in self.options}
        missing = [name for name, value in filled.items() if value is None and
                   next(o for o in self.options if o.name == name).required]  # fmt: skip
        if missing:
            raise ValidationError(f"preset {self.name} needs --set {missing[0]}=…")
        fields = self.build({k: v for k, v in filled.items() if v is not None})
        units = {key: unit for key in fields.get("selectors") or {}
                 if (unit := self.units.get(key)) is not None}  # fmt: skip
        fields["units"] = {**units, **(fields.get("units") or {})}
        return fields


@cache
def presets() -> dict[str, Preset]:
    """Every preset by name (the modules of this package that define ``PRESET``)."""
    found: dict[str, Preset] = {}
    for module in pkgutil.iter_modules(__path__):
        preset = getattr(importlib.import_module(f"{__name__}.{module.name}"), "PRESET", None)
        if isinstance(preset, Preset):
            found[preset.name] = preset
    return dict(sorted(found.items()))


def preset_named(name: str) -> Preset:
    found = presets()
    if name not in found:
        raise ValidationError(
            f"no preset named {name!r} (known: {', '.join(found) or 'none'}; "
            "see mtui source presets)"
        )
    return found[name]
