"""
title: Kwargs
description: **kwargs becomes a required string property named kwargs; *args
"""


class Tools:
    def with_kwargs(self, a: str, **kwargs) -> dict:
        """Has **kwargs."""
        return {"a": a, "kwargs": kwargs}

    def with_args(self, *args, b: int = 1) -> dict:
        """Has *args."""
        return {"args": list(args), "b": b}
