"""
title: Pipe Returns Coroutine
"""


async def answer() -> str:
    return "never awaited"


class Pipe:
    def pipe(self, body: dict):
        return answer()
