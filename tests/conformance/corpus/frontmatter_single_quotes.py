"""
title: Single Quotes
version: 1
"""


class Action:
    async def action(self, body: dict):
        return "no manifest"
