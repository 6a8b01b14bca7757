"""
title: User Valves Filter
"""

from pydantic import BaseModel


class Filter:
    class Valves(BaseModel):
        priority: int = 0
        suffix: str = "!"

    class UserValves(BaseModel):
        shout: bool = False

    def __init__(self):
        self.valves = self.Valves()

    def inlet(self, body: dict, __user__: dict) -> dict:
        valves = __user__["valves"]
        body["user_valves"] = {"type": type(valves).__name__, "shout": valves.shout}
        body["suffix"] = self.valves.suffix
        return body

    def outlet(self, body: dict, __user__: dict) -> dict:
        body["outlet_shout"] = __user__["valves"].shout
        return body
