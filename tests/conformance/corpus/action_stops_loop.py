"""
title: Action Stops Loop
"""

import asyncio


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        asyncio.get_running_loop().stop()
        await asyncio.sleep(0)
        await __event_emitter__({"type": "status", "data": {"description": "still here", "done": True}})
        return "loop stopped and resumed"
