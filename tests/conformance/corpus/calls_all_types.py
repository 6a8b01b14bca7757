"""
title: Calls All Types
"""


class Action:
    async def action(self, body: dict, __event_call__=None, __event_emitter__=None) -> dict:
        confirmed = await __event_call__(
            {"type": "confirmation", "data": {"title": "Continue?", "message": "Are you **sure**?"}}
        )
        text = await __event_call__(
            {"type": "input", "data": {"title": "Name", "message": "Your name", "placeholder": "name"}}
        )
        secret = await __event_call__(
            {"type": "input", "data": {"title": "Key", "message": "API key", "type": "password"}}
        )
        picked = await __event_call__(
            {
                "type": "input",
                "data": {
                    "title": "Pick",
                    "message": "One",
                    "input": {"type": "select", "options": ["x", "y"]},
                },
            }
        )
        value = await __event_call__({"type": "execute", "data": {"code": "return 1 + 1"}})
        unknown = await __event_call__({"type": "mystery", "data": {"q": 1}})
        await __event_emitter__({"type": "status", "data": {"description": f"got {text}", "done": True}})
        return {
            "confirmed": confirmed,
            "text": text,
            "secret": secret,
            "picked": picked,
            "value": value,
            "unknown": unknown,
        }
