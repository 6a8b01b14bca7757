"""
title: Event Quiet
"""


class Event:
    def __init__(self):
        self.seen = []

    def event(self, event: dict):
        self.seen.append(event["event"])
        return {"discarded": True}
