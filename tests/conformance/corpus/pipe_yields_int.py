"""
title: Pipe Yields Int
"""


class Pipe:
    def pipe(self, body: dict):
        yield "count: "
        yield 1
        yield 2
