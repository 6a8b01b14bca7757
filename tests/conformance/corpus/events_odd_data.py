"""
title: Events Odd Data
"""


class Point:
    def __init__(self, x):
        self.x = x

    def __repr__(self):
        return f"Point({self.x})"


class Action:
    async def action(self, body: dict, __event_emitter__=None) -> str:
        data = {"description": "mutated later", "done": False, "items": [1]}
        await __event_emitter__({"type": "status", "data": data})
        data["description"] = "changed after emit"
        data["items"].append(2)
        await __event_emitter__({"type": "message", "data": "a bare string"})
        await __event_emitter__(
            {"type": "status", "data": {"description": "odd", "done": True, "point": Point(3)}}
        )
        await __event_emitter__({"data": {"content": "no type"}})
        await __event_emitter__({"type": "message"})
        return "odd events"
