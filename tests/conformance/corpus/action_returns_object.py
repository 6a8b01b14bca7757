"""
title: Action Returns Object
"""

from pydantic import BaseModel


class Result(BaseModel):
    label: str
    count: int = 2


class Action:
    actions = [  # noqa: RUF012
        {"id": "model", "name": "Model"},
        {"id": "none", "name": "None"},
        {"id": "number", "name": "Number"},
    ]

    async def action(self, body: dict, __id__=None):
        if __id__ == "model":
            return Result(label="pydantic")
        if __id__ == "none":
            return None
        if __id__ == "number":
            return 42
        return {"nested": {"list": [1, 2.5, "three"], "flag": False}}
