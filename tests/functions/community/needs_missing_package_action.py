"""
title: Needs Missing Package
author: actionkit community samples
version: 0.1.0
requirements: actionkit-tiny-demo==0.1.0
"""

from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        greeting: str = "hello"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict) -> dict:
        import actionkit_tiny_demo

        return {"answer": actionkit_tiny_demo.answer(self.valves.greeting)}
