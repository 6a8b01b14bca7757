"""
title: Action Unawaited Emit
"""


class Action:
    def action(self, body: dict, __event_emitter__=None):
        __event_emitter__({"type": "status", "data": {"description": "never sent", "done": True}})
        return "sync action that forgot await"
