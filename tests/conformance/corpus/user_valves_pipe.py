"""
title: User Valves Pipe
"""

import json

from pydantic import BaseModel


class Pipe:
    class Valves(BaseModel):
        prefix: str = ">"

    class UserValves(BaseModel):
        name: str = "friend"
        times: int = 1

    def __init__(self):
        self.valves = self.Valves()

    def pipe(self, body: dict, __user__: dict) -> str:
        valves = __user__["valves"]
        return json.dumps(
            {
                "prefix": self.valves.prefix,
                "type": type(valves).__name__,
                "valves": valves.model_dump(),
                "settings": __user__.get("settings"),
            },
            sort_keys=True,
        )
