"""
title: Literal And Enum
description: Literal, Enum and list-of-Literal parameters; a bool with a string default
"""
from enum import Enum
from typing import Literal


class Color(str, Enum):
    RED = "red"
    GREEN = "green"


class Tools:
    def paint(
        self,
        color: Color,
        finish: Literal["matte", "gloss"] = "matte",
        layers: list[Literal["base", "top"]] = ["base"],
        dry: bool = False,
    ) -> dict:
        """
        Paint something.

        :param color: the colour to use
        :param finish: how it looks
        """
        return {
            "color": [repr(color), type(color).__name__],
            "finish": finish,
            "layers": layers,
            "dry": [dry, type(dry).__name__],
        }
