"""
title: Manifold Pipes Raise
"""


class Pipe:
    def pipes(self) -> list:
        raise RuntimeError("cannot list")

    def pipe(self, body: dict) -> str:
        return "still callable"
