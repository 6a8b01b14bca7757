"""
title: Pipe Line Kinds
"""

from pydantic import BaseModel


class Chunk(BaseModel):
    kind: str
    n: int


class Pipe:
    def pipe(self, body: dict):
        yield "plain"
        yield ""
        yield {"custom": "dict", "n": 1}
        yield Chunk(kind="model", n=2)
        yield b"bytes line"
        yield 'data: {"raw": true}'
        yield "data:no-space"
        yield {"event": {"type": "status", "data": {"description": "in a chunk", "done": True}}}
