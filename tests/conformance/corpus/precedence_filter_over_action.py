"""
title: Filter Over Action
"""


class Action:
    async def action(self, body: dict):
        return "action ran"


class Filter:
    def inlet(self, body: dict) -> dict:
        body["seen_by"] = "filter"
        return body
