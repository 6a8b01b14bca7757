"""
title: Args Filter
"""

from pydantic import BaseModel

ABSENT = object()
NAMES = (
    "__user__",
    "__event_emitter__",
    "__event_call__",
    "__metadata__",
    "__model__",
    "__request__",
    "__id__",
    "__chat_id__",
    "__session_id__",
    "__message_id__",
    "__files__",
    "__task__",
    "__task_body__",
    "__tools__",
    "__oauth_token__",
    "__body__",
    "__features__",
)


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
            "role": value.get("role"),
            "valves": type(valves).__name__ if valves is not None else None,
        }
    return value


def report(seen):
    return {name: describe(name, seen[name]) for name in NAMES}


class Filter:
    class UserValves(BaseModel):
        unit: str = "metric"

    def inlet(
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
        __features__=ABSENT,
    ) -> dict:
        return {"hook": "inlet", "report": report(dict(locals())), "body_keys": sorted(body)}

    async def stream(
        self,
        event: dict,
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
        __features__=ABSENT,
    ) -> dict:
        return {"hook": "stream", "report": report(dict(locals())), "event": event}

    async def outlet(
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
        __features__=ABSENT,
    ) -> dict:
        return {"hook": "outlet", "report": report(dict(locals())), "body_keys": sorted(body)}

    def request(
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
        __features__=ABSENT,
    ) -> dict:
        return {"hook": "request", "report": report(dict(locals())), "body_keys": sorted(body)}
