"""
title: Pipe Calls Model
"""

import json

from fastapi import Request
from open_webui.models.users import Users
from open_webui.utils.chat import generate_chat_completion
from pydantic import BaseModel


class Pipe:
    class Valves(BaseModel):
        target: str = "scripted_model"

    def __init__(self):
        self.valves = self.Valves()

    async def pipe(self, body: dict, __user__: dict, __request__: Request):
        user = await Users.get_user_by_id(__user__["id"])
        payload = {
            "model": self.valves.target,
            "messages": body["messages"],
            "stream": bool(body.get("stream")),
        }
        response = await generate_chat_completion(__request__, payload, user, bypass_filter=True)
        if not payload["stream"]:
            return (
                f"{response['choices'][0]['message']['content']} ({response['usage']['total_tokens']} tokens)"
            )
        return self._relay(response)

    async def _relay(self, response):
        async for raw in response.body_iterator:
            text = raw.decode() if isinstance(raw, bytes) else raw
            for line in text.splitlines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    delta = json.loads(line[len("data: ") :])["choices"][0]["delta"]
                    if delta.get("content"):
                        yield f"[{delta['content']}]"
