"""
title: Pipe Over Action
"""


class Action:
    async def action(self, body: dict):
        return "action ran"


class Pipe:
    def pipe(self, body: dict):
        return "pipe wins"
