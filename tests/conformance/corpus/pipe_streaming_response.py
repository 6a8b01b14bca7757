"""
title: Pipe Streaming Response
"""

from starlette.responses import StreamingResponse


async def lines():
    yield 'data: {"choices": [{"delta": {"content": "raw"}}]}\n\n'
    yield "data: [DONE]\n\n"


class Pipe:
    def pipe(self, body: dict):
        return StreamingResponse(lines(), media_type="text/event-stream")
