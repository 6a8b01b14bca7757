"""
title: Pipe Raises
"""


class Pipe:
    async def pipe(self, body: dict, __event_emitter__=None) -> str:
        if __event_emitter__:
            await __event_emitter__(
                {"type": "status", "data": {"description": "about to fail", "done": False}}
            )
        raise ValueError("pipe failed")
