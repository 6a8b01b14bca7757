"""
title: Filter Sync Emitter
"""


class Filter:
    async def inlet(self, body: dict, __event_emitter__=None, __event_call__=None) -> dict:
        await __event_emitter__({"type": "status", "data": {"description": "inlet", "done": True}})
        answer = await __event_call__(
            {"type": "confirmation", "data": {"title": "Go?", "message": "Send it?"}}
        )
        body["confirmed"] = answer
        return body

    async def stream(self, event: dict, __event_emitter__=None) -> dict:
        if __event_emitter__:
            await __event_emitter__({"type": "chat:message:delta", "data": {"content": "."}})
        return event

    async def outlet(self, body: dict, __event_emitter__=None) -> dict:
        await __event_emitter__({"type": "notification", "data": {"type": "info", "content": "outlet ran"}})
        return body
