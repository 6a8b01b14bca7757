"""
title: Signature Kinds
description: keyword-only and positional-only parameters, mutable defaults
"""


class Tools:
    def keyword_only(self, *, a: int, b: str = "x") -> dict:
        """Keyword-only parameters."""
        return {"a": a, "b": b}

    def positional_only(self, a: int, /, b: int = 0) -> dict:
        """A positional-only parameter cannot be passed by name."""
        return {"a": a, "b": b}

    def mutable_defaults(self, tags: list = [], options: dict = {}) -> dict:
        """Mutable defaults appear in the spec."""
        return {"tags": tags, "options": options}
