"""
title: Close On Text Line
description: ends here"""

version: 9


class Action:
    async def action(self, body: dict):
        return "manifest has only the title"
