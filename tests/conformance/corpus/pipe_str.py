"""
title: Pipe Str
"""


class Pipe:
    def pipe(self, body: dict) -> str:
        return f"echo: {body['messages'][-1]['content']}" if body.get("messages") else "echo"
