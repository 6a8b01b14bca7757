"""
title: Action System Exit
"""

import sys


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "leaving", "done": False}})
        sys.exit("bye")
