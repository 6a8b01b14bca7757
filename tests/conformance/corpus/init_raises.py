"""
title: Init Raises
"""


class Action:
    def __init__(self):
        self.ready = False
        raise RuntimeError("init failed")

    async def action(self, body: dict):
        return body
