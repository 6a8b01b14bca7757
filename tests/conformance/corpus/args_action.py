"""
title: Args Action
"""

from pydantic import BaseModel

ABSENT = object()


def describe(name, value):
    if value is ABSENT:
        return "<absent>"
    if value is None:
        return None
    if name in ("__event_emitter__", "__event_call__"):
        return "<callable>" if callable(value) else type(value).__name__
    if name == "__request__":
        return "<request>"
    if name == "__user__":
        valves = value.get("valves")
        return {
            "keys": sorted(value),
            "id": value.get("id"),
            "email": value.get("email"),
            "name": value.get("name"),
            "role": value.get("role"),
            "valves": type(valves).__name__ if valves is not None else None,
        }
    return value


class Action:
    actions = [{"id": "second", "name": "Second"}]  # noqa: RUF012

    class UserValves(BaseModel):
        unit: str = "metric"

    async def action(
        self,
        body: dict,
        __user__=ABSENT,
        __event_emitter__=ABSENT,
        __event_call__=ABSENT,
        __metadata__=ABSENT,
        __model__=ABSENT,
        __request__=ABSENT,
        __id__=ABSENT,
        __chat_id__=ABSENT,
        __session_id__=ABSENT,
        __message_id__=ABSENT,
        __files__=ABSENT,
        __task__=ABSENT,
        __task_body__=ABSENT,
        __tools__=ABSENT,
        __oauth_token__=ABSENT,
        __body__=ABSENT,
    ) -> dict:
        seen = dict(locals())
        return {
            name: describe(name, value)
            for name, value in seen.items()
            if name.startswith("__") and name.endswith("__")
        } | {"body_keys": sorted(body)}
