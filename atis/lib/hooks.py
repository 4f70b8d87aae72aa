"""Explicit hooks: how a lower module reaches a higher app without importing it.

A domain low in the stack (cases, organisations, this `lib`) declares a hook for one thing
that happened ("these cases changed", "access was denied") and calls it where it happens; the
app that must follow up (statistics keeps its counts, audit records the denial) registers
its handler into the hook from its `AppConfig.ready`. Unlike a Django signal, the hook is a
named, typed object that both sides import by name, so a reader finds every caller and every
handler with a search, and a hook nobody registered with fails loudly instead of doing
nothing: a change that is not followed up must not pass silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

from django.core.exceptions import ImproperlyConfigured

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P, R]):
    """A list of handlers, called in the order they registered, each with the same arguments;
    calling the hook returns their answers in that order.

    Handlers run inside the caller's transaction: what they write commits or rolls back with
    the change that called them. An exception in a handler reaches the caller.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[Callable[P, R]] = []

    def register(self, handler: Callable[P, R]) -> Callable[P, R]:
        """Add a handler (once: registering it again changes nothing); returns it, so it can
        be used as a decorator."""
        if handler not in self._handlers:
            self._handlers.append(handler)
        return handler

    @property
    def handlers(self) -> tuple[Callable[P, R], ...]:
        return tuple(self._handlers)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> list[R]:
        if not self._handlers:
            raise ImproperlyConfigured(f"No handler is registered for the hook {self.name!r}.")
        return [handler(*args, **kwargs) for handler in self._handlers]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._handlers)} handler(s)>"
