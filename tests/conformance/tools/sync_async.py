"""
title: Sync And Async
description: sync methods run inline, async methods are awaited
"""
import asyncio


class Tools:
    def sync_one(self, x: int) -> dict:
        """Sync."""
        return {"x": x, "in_loop": asyncio.get_running_loop() is not None}

    async def async_one(self, x: int) -> dict:
        """Async."""
        await asyncio.sleep(0)
        return {"x": x}

    def returns_coroutine(self, x: int):
        """A sync method that returns a coroutine object: the host does not await it."""
        async def inner():
            return x
        return inner()
