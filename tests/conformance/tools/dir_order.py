"""
title: Dir Order
description: every public callable in dir() order; static/class methods; aliases; classes and _private skipped
"""


class Tools:
    class Helper:
        pass

    def zulu(self) -> str:
        """z"""
        return "zulu"

    def Alpha(self) -> str:
        """Upper-case names sort first in dir()."""
        return "Alpha"

    def bravo(self) -> str:
        """b"""
        return "bravo"

    @staticmethod
    def static_one(x: int) -> int:
        """A staticmethod."""
        return x

    @classmethod
    def class_one(cls, x: int) -> int:
        """A classmethod."""
        return x

    def _private(self) -> str:
        return "private"

    def __call__(self):
        return "call"

    yankee = bravo  # an alias: spec name comes from __name__ ("bravo"), so it clashes
