"""
title: Basic Types
author: probe
description: str/int/float/bool/list/dict parameters, reST docstring, coercion of str->int and number->str
version: 0.1
"""


class Tools:
    def __init__(self):
        pass

    def describe(self, text: str, count: int, ratio: float, flag: bool, tags: list[str], extra: dict) -> str:
        """
        Describe the arguments it was called with.

        :param text: some text
        :param count: an integer
        :param ratio: a float
        :param flag: a boolean
        :param tags: a list of strings
        :param extra: a free-form object
        :return: a description
        """
        return " | ".join(
            f"{name}={value!r}:{type(value).__name__}"
            for name, value in [("text", text), ("count", count), ("ratio", ratio), ("flag", flag), ("tags", tags), ("extra", extra)]
        )
