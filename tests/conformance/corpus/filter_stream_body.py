"""
title: Filter Stream Body
"""


class Filter:
    def stream(self, event: dict, __body__=None) -> dict:
        event["body_model"] = (__body__ or {}).get("model")
        return event
