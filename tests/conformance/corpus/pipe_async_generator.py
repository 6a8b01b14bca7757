"""
title: Pipe Async Generator
"""

import asyncio


class Pipe:
    async def pipe(self, body: dict):
        for word in ["async", " gen"]:
            await asyncio.sleep(0)
            yield word
