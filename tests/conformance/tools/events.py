"""
title: Events From Tools
description: __event_emitter__ and __event_call__ inside a tool during a chat turn
"""


class Tools:
    async def emit(self, __event_emitter__=None, __event_call__=None) -> str:
        """Emit a status, a message and a citation, then ask for confirmation."""
        await __event_emitter__({"type": "status", "data": {"description": "working", "done": False}})
        await __event_emitter__({"type": "message", "data": {"content": "partial "}})
        await __event_emitter__(
            {"type": "citation", "data": {"source": {"name": "src"}, "document": ["doc"], "metadata": [{"source": "s"}]}}
        )
        answer = await __event_call__({"type": "confirmation", "data": {"title": "Sure?", "message": "really"}})
        await __event_emitter__({"type": "status", "data": {"description": "done", "done": True}})
        return f"confirmation answered: {answer!r}"
