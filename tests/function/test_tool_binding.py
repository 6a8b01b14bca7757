from __future__ import annotations

import asyncio

import pytest

from actionkit.function import bind_tool_function, rebind_tool_function


class _Tools:
    def show(
        self, n: int = 0, s: str = "", o: int | None = None, f: float = 0.0, __user__: dict | None = None
    ):
        return {"n": n, "s": s, "o": o, "f": f, "user": __user__}

    def plain(self, x, **kwargs):
        return {"x": x, "kwargs": kwargs}


def _call(function, **kwargs):
    return asyncio.run(function(**kwargs))


def test_only_reserved_arguments_the_signature_names_are_bound() -> None:
    tools = _Tools()
    bound = bind_tool_function(tools.show, {"__user__": {"id": "u"}, "__id__": "t", "__messages__": []})
    assert bound.__extra_params__ == {"__user__": {"id": "u"}}
    assert list(bound.__signature__.parameters) == ["n", "s", "o", "f"]
    assert _call(bound)["user"] == {"id": "u"}
    plain = bind_tool_function(tools.plain, {"__user__": {"id": "u"}})
    assert _call(plain, x=1) == {"x": 1, "kwargs": {}}


def test_only_str_to_int_and_number_to_str_are_coerced() -> None:
    bound = bind_tool_function(_Tools().show, {})
    assert _call(bound, n="7", s=3, o="4", f="1.5") == {"n": 7, "s": "3", "o": 4, "f": "1.5", "user": None}
    assert _call(bound, s=True)["s"] is True
    with pytest.raises(ValueError, match="invalid literal for int"):
        _call(bound, n="seven")


def test_a_sync_method_becomes_a_coroutine_function_and_rebinding_keeps_earlier_arguments() -> None:
    bound = bind_tool_function(_Tools().show, {"__user__": {"id": "u"}})
    assert asyncio.iscoroutinefunction(bound)
    again = rebind_tool_function(bound, {"__files__": []})
    assert again.__extra_params__ == {"__user__": {"id": "u"}}
    assert rebind_tool_function(len, {"x": 1}) is len
