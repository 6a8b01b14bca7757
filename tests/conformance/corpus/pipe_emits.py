"""
title: Pipe Emits
"""


class Pipe:
    async def pipe(self, body: dict, __event_emitter__=None, __event_call__=None):
        if __event_emitter__ is None:
            yield "no emitter"
            return
        await __event_emitter__({"type": "status", "data": {"description": "thinking", "done": False}})
        yield "a"
        await __event_emitter__(
            {
                "type": "source",
                "data": {
                    "source": {"name": "doc", "url": "https://example.com/doc"},
                    "document": ["text"],
                    "metadata": [{"source": "https://example.com/doc"}],
                },
            }
        )
        yield "b"
        await __event_emitter__({"type": "status", "data": {"description": "done", "done": True}})
