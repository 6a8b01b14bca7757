"""
title: Action Timeout
"""

import asyncio


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "waiting forever", "done": False}})
        await asyncio.sleep(3600)
        return "never"
