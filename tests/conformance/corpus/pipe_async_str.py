"""
title: Pipe Async Str
"""


class Pipe:
    async def pipe(self, body: dict) -> str:
        return f"model={body['model']} stream={body.get('stream')}"
