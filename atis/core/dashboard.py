"""The personal dashboard is a list of panels that each module contributes.

A panel function receives the request and returns a Panel, or None when it has nothing to
show this user. Modules register theirs in their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    kind: str = "work"  # "work" (my work) or "alert"
    order: int = 100


PanelFunction = Callable[[HttpRequest], Panel | None]
_panels: list[PanelFunction] = []


def register_panel(function: PanelFunction) -> PanelFunction:
    if function not in _panels:
        _panels.append(function)
    return function


def panels_for(request: HttpRequest) -> list[Panel]:
    found = [panel for function in _panels if (panel := function(request)) is not None]
    return sorted(found, key=lambda panel: panel.order)
