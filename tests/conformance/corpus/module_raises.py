"""
title: Module Raises
"""

SETTINGS = {"mode": "strict"}

if SETTINGS["mode"] == "strict":
    raise ValueError("module failed")


class Action:
    async def action(self, body: dict):
        return body
