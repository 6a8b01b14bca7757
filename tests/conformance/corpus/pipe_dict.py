"""
title: Pipe Dict
"""


class Pipe:
    def pipe(self, body: dict) -> dict:
        return {
            "id": "fixed-id",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "from a dict"}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2},
        }
