"""
title: Action Sync
"""


class Action:
    def action(self, body: dict, __id__=None):
        return f"sync action {__id__} saw {len(body.get('messages', []))} messages"
