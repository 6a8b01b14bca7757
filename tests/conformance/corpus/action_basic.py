"""
title: Action Basic
author: actionkit
version: 1.0.0
description: emits a status and a message, returns what it saw
"""

from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        greeting: str = "hello"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None) -> dict:
        await __event_emitter__({"type": "status", "data": {"description": "working", "done": False}})
        last = body["messages"][-1]["content"] if body.get("messages") else ""
        await __event_emitter__({"type": "message", "data": {"content": f"{self.valves.greeting}: {last}"}})
        await __event_emitter__({"type": "status", "data": {"description": "done", "done": True}})
        return {"echo": last, "model": body.get("model")}
