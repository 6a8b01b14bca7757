"""
title: Action Mutates Body
"""


class Action:
    async def action(self, body: dict) -> dict:
        body["messages"].append({"role": "assistant", "content": "added"})
        return {"messages": body["messages"]}
