"""
title: Event Kwargs
"""


class Event:
    def event(self, **kwargs):
        raise ValueError(f"got {sorted(kwargs)} for {kwargs['__event_name__']}")
