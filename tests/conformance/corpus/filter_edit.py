"""
title: Filter Edit
"""

from pydantic import BaseModel


class Filter:
    class Valves(BaseModel):
        priority: int = 0
        system: str = "Be brief."

    def __init__(self):
        self.valves = self.Valves()

    async def inlet(self, body: dict) -> dict:
        body["messages"] = [{"role": "system", "content": self.valves.system}, *body.get("messages", [])]
        return body

    def stream(self, event: dict) -> dict:
        for choice in event.get("choices", []):
            delta = choice.get("delta", {})
            if "content" in delta:
                delta["content"] = delta["content"].upper()
        return event

    async def outlet(self, body: dict) -> dict:
        for message in body.get("messages", []):
            if message.get("role") == "assistant":
                message["content"] = message["content"] + " [checked]"
        return body
