"""
title: Manifold Callable
"""

from pydantic import BaseModel


class Pipe:
    class Valves(BaseModel):
        models: str = "alpha,beta"

    def __init__(self):
        self.valves = self.Valves()

    def pipes(self) -> list:
        return [{"id": m, "name": m.upper()} for m in self.valves.models.split(",") if m]

    def pipe(self, body: dict) -> str:
        return body["model"].split(".", 1)[1]
