"""The hooks lower modules call and higher apps register into (atis.lib.hooks)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from atis.lib.hooks import Hook


def test_handlers_are_called_in_the_order_they_registered_and_their_answers_returned() -> None:
    heard: list[str] = []
    hook: Hook[[int], str] = Hook("test.changed")

    @hook.register
    def first(case_id: int) -> str:
        heard.append(f"first {case_id}")
        return "one"

    def second(case_id: int) -> str:
        heard.append(f"second {case_id}")
        return "two"

    hook.register(second)
    assert hook(7) == ["one", "two"]
    assert heard == ["first 7", "second 7"]


def test_a_handler_registered_twice_runs_once() -> None:
    calls: list[int] = []
    hook: Hook[[int], None] = Hook("test.twice")
    hook.register(calls.append)
    hook.register(calls.append)
    hook(1)
    assert calls == [1]
    assert len(hook.handlers) == 1


def test_a_hook_nobody_registered_with_fails_loudly() -> None:
    hook: Hook[[], None] = Hook("test.forgotten")
    with pytest.raises(ImproperlyConfigured, match=r"test\.forgotten"):
        hook()


def test_a_handler_that_fails_stops_the_change_that_called_it() -> None:
    hook: Hook[[], None] = Hook("test.failing")

    def broken() -> None:
        raise RuntimeError("counts unavailable")

    hook.register(broken)
    with pytest.raises(RuntimeError, match="counts unavailable"):
        hook()
