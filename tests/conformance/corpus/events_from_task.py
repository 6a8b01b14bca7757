"""
title: Events From Task
"""

import asyncio


class Action:
    async def action(self, body: dict, __event_emitter__=None) -> str:
        async def later():
            await asyncio.sleep(0.05)
            await __event_emitter__({"type": "status", "data": {"description": "from a task", "done": True}})

        asyncio.create_task(later())  # noqa: RUF006 - fire and forget, as functions do
        await __event_emitter__({"type": "status", "data": {"description": "returning", "done": False}})
        return "returned before the task"
