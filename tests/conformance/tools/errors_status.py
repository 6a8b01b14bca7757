"""
title: Errors And Status
description: exceptions become {"error": str(e)}; which result texts mark a tool call failed
"""


class Tools:
    def boom(self, message: str = "boom") -> str:
        """Raise ValueError."""
        raise ValueError(message)

    def text(self, value: str) -> str:
        """Return the given text unchanged.
        :param value: the text
        """
        return value

    def obj(self, value: dict) -> dict:
        """Return the given object unchanged.
        :param value: the object
        """
        return value
