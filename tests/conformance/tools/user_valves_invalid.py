"""
title: Invalid Stored User Valves
description: stored user valves that no longer validate
"""
from pydantic import BaseModel


class Tools:
    class UserValves(BaseModel):
        level: int = 1

    def show(self, __user__: dict) -> dict:
        """Show the user valves."""
        return {"valves": repr(__user__.get("valves"))}

    def no_user(self) -> str:
        """Does not ask for __user__."""
        return "ok"
