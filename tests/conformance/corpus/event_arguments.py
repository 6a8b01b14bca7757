"""
title: Event Arguments
"""

import json

from pydantic import BaseModel


class Event:
    class Valves(BaseModel):
        tag: str = "default"

    def __init__(self):
        self.valves = self.Valves(tag="from-init")

    async def event(
        self,
        event: dict,
        __event_name__: str,
        __id__: str,
        __event__=None,
        __event_id__=None,
        __app__=None,
        __request__=None,
        __user__=None,
    ):
        seen = {
            "event": event,
            "name": __event_name__,
            "id": __id__,
            "event_object": type(__event__).__name__,
            "event_object_dump_is_event": __event__.model_dump() == event,
            "event_id_is_payload_id": __event_id__ == event["id"],
            "app_has_state": hasattr(__app__, "state"),
            "request": None if __request__ is None else __request__.method,
            "user": __user__,
            "valves": self.valves.model_dump(),
        }
        raise RuntimeError(json.dumps(seen, sort_keys=True))
