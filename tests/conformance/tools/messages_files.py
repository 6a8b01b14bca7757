"""
title: Messages And Files
description: __messages__ are the request's messages, __files__ the chat's files; __id__ is the tool id
"""


class Tools:
    def context(self, __messages__: list, __files__: list, __id__: str, __chat_id__: str = None) -> dict:
        """Report the conversation and files the tool sees."""
        return {
            "roles": [m.get("role") for m in __messages__],
            "last": __messages__[-1].get("content") if __messages__ else None,
            "files": [f.get("id") for f in __files__],
            "id": __id__,
            "chat_id": __chat_id__,
        }

    async def count_words(self, __messages__: list) -> int:
        """Count the words of the conversation."""
        return sum(len(str(m.get("content", "")).split()) for m in __messages__)
