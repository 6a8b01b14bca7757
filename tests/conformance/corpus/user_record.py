"""
title: User Record
"""

from pydantic import BaseModel


class Action:
    class UserValves(BaseModel):
        theme: str = "dark"

    async def action(self, body: dict, __user__=None) -> dict:
        record = {key: value for key, value in __user__.items() if key != "valves"}
        record["valves"] = __user__["valves"].model_dump() if "valves" in __user__ else None
        return record
