"""
title: Return Types
description: how each kind of return value becomes the role tool text
"""
from pydantic import BaseModel


class Thing(BaseModel):
    a: int = 1


class Tools:
    def ret(self, kind: str):
        """Return a value of the given kind.
        :param kind: none|empty|zero|false|true|float|int|str|dict|list|nested_list|tuple|tuple1|unicode|model|list_of_dicts|json_str|bytes|empty_dict|empty_list
        """
        values = {
            "none": None,
            "empty": "",
            "zero": 0,
            "false": False,
            "true": True,
            "float": 1.5,
            "int": 42,
            "str": "plain text",
            "dict": {"b": 1, "a": [1, 2], "nested": {"x": None}},
            "list": [1, "two", 3.0],
            "nested_list": [[1, 2], {"k": "v"}],
            "tuple": ("first", "second", 3),
            "tuple1": ({"only": 1},),
            "unicode": {"text": "héllo wörld ✓"},
            "model": Thing(),
            "list_of_dicts": [{"a": 1}, {"b": 2}],
            "json_str": '{"already": "json"}',
            "bytes": b"raw bytes",
            "empty_dict": {},
            "empty_list": [],
        }
        return values[kind]

    async def async_ret(self, kind: str):
        """Async twin of ret."""
        return self.ret(kind)
