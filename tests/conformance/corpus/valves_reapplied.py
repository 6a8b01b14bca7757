"""
title: Valves Reapplied
"""

from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        level: int = 1
        name: str = "default"
        note: str | None = None

    def __init__(self):
        # The host replaces this before every call.
        self.valves = self.Valves(level=99, name="from init")

    async def action(self, body: dict) -> dict:
        return {"valves": self.valves.model_dump(), "set": sorted(self.valves.model_fields_set)}
