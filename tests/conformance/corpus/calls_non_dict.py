"""
title: Calls Non Dict
"""


class Action:
    async def action(self, body: dict, __event_call__=None):
        answer = await __event_call__("Are you sure?")
        return {"answer": answer}
