"""
title: User Valves Not Requested
"""

from pydantic import BaseModel


class Action:
    class UserValves(BaseModel):
        language: str = "en"

    async def action(self, body: dict, __id__=None) -> dict:
        return {"id": __id__, "has_user": False}
