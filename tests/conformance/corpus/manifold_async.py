"""
title: Manifold Async
"""


class Pipe:
    def __init__(self):
        self.name = "Async: "

    async def pipes(self) -> list:
        return [{"id": "one", "name": "One"}]

    async def pipe(self, body: dict):
        yield body["model"]
