"""
title: Valves Without Attribute
"""

from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        level: int = 1

    async def action(self, body: dict) -> dict:
        return {"has_valves": hasattr(self, "valves")}
