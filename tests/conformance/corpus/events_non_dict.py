"""
title: Events Non Dict
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "fine", "done": False}})
        await __event_emitter__("just a string")
        return "not reached"
