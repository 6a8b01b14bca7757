"""
title: Summarize Conversation
author: actionkit community samples
version: 0.2.0
description: Adds a short summary of the conversation below the clicked message, written by a model.
required_open_webui_version: 0.9.0
"""

from fastapi import Request
from open_webui.models.users import Users
from open_webui.utils.chat import generate_chat_completion
from open_webui.utils.misc import get_last_assistant_message
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        model_id: str = Field(
            default="", description="Model that writes the summary (empty: the chat's model)"
        )
        max_words: int = Field(default=40, description="Longest summary, in words")

    def __init__(self):
        self.valves = self.Valves()

    async def action(
        self,
        body: dict,
        __user__: dict | None = None,
        __event_emitter__=None,
        __request__: Request | None = None,
    ) -> dict | None:
        if __event_emitter__:
            await __event_emitter__(
                {"type": "status", "data": {"description": "Summarizing the conversation", "done": False}}
            )
        user = await Users.get_user_by_id(__user__["id"])
        transcript = "\n".join(f"{m['role']}: {m['content']}" for m in body.get("messages", []))
        payload = {
            "model": self.valves.model_id or body["model"],
            "messages": [
                {"role": "system", "content": f"Summarize in at most {self.valves.max_words} words."},
                {"role": "user", "content": transcript},
            ],
            "stream": False,
        }
        response = await generate_chat_completion(__request__, payload, user)
        summary = response["choices"][0]["message"]["content"]
        last = get_last_assistant_message(body.get("messages", [])) or ""
        if __event_emitter__:
            await __event_emitter__({"type": "message", "data": {"content": f"\n\n**Summary:** {summary}"}})
            await __event_emitter__(
                {
                    "type": "status",
                    "data": {"description": f"Summarized {len(last)} characters", "done": True},
                }
            )
        return {"summary": summary}
