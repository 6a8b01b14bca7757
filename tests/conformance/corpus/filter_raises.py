"""
title: Filter Raises
"""


class Filter:
    async def inlet(self, body: dict, __event_emitter__=None) -> dict:
        if __event_emitter__:
            await __event_emitter__({"type": "status", "data": {"description": "checking", "done": False}})
        raise ValueError("inlet rejected the request")

    def stream(self, event: dict) -> dict:
        raise RuntimeError("stream broke")

    def outlet(self, body: dict) -> dict:
        raise PermissionError("outlet denied")
