"""
title: Pipe Generator Raises
"""


class Pipe:
    def pipe(self, body: dict):
        yield "partial"
        raise RuntimeError("generator failed")
