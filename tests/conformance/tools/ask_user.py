"""
title: Ask User
description: a tool that asks the browser (event call) and uses the answer
"""


class Tools:
    async def confirm_delete(self, item: str, __event_call__=None) -> str:
        """
        Delete an item after the user confirms.

        :param item: what to delete
        """
        answer = await __event_call__(
            {"type": "confirmation", "data": {"title": "Delete?", "message": f"Delete {item}?"}}
        )
        if answer is True:
            return f"deleted {item}"
        return f"kept {item} ({answer!r})"

    async def ask_name(self, __event_call__=None) -> str:
        """Ask for a name."""
        name = await __event_call__({"type": "input", "data": {"title": "Name", "message": "Your name?"}})
        return f"hello {name}"
