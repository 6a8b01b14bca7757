"""
title: Args Pipe
"""

import json

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


class Pipe:
    class UserValves(BaseModel):
        unit: str = "metric"

    async def pipe(
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
    ) -> str:
        seen = dict(locals())
        report = {name: describe(name, seen[name]) for name in NAMES}
        report["body_keys"] = sorted(body)
        return json.dumps(report, sort_keys=True, default=repr)
