"""
title: Action Raises
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__(
            {"type": "status", "data": {"description": "before the error", "done": False}}
        )
        raise ValueError("boom")
