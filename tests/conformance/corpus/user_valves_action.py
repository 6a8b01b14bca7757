"""
title: User Valves Action
"""

from pydantic import BaseModel


class Action:
    class UserValves(BaseModel):
        language: str = "en"
        verbose: bool = False

    async def action(self, body: dict, __user__=None) -> dict:
        valves = __user__.get("valves")
        return {
            "valves_type": type(valves).__name__,
            "valves": valves.model_dump() if valves is not None else None,
            "set": sorted(valves.model_fields_set) if valves is not None else None,
            "settings": __user__.get("settings"),
        }
