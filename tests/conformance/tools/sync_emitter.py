"""
title: Sync Emitter
description: a sync method cannot await the emitter: its events are never sent
"""


class Tools:
    def work(self, __event_emitter__=None) -> str:
        """Emit without awaiting."""
        __event_emitter__({"type": "status", "data": {"description": "never sent", "done": True}})
        return "worked"
