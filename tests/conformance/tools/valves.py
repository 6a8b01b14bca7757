"""
title: Valves
description: Valves are re-applied from the stored values; UserValves arrive as an object in __user__["valves"]
"""
from pydantic import BaseModel, Field


class Tools:
    class Valves(BaseModel):
        api_base: str = Field("https://default.invalid", description="base url")
        limit: int = 3

    class UserValves(BaseModel):
        nickname: str = "anon"
        shout: bool = False

    def __init__(self):
        self.valves = self.Valves(api_base="set-in-init")
        self.citation = False
        self.file_handler = True

    def show(self, __user__: dict) -> dict:
        """Show the valves."""
        uv = __user__.get("valves")
        return {
            "valves": self.valves.model_dump(),
            "user_valves_type": type(uv).__name__,
            "user_valves": uv.model_dump() if uv is not None else None,
        }

    def without_user(self) -> dict:
        """Does not ask for __user__."""
        return {"valves": self.valves.model_dump()}
