"""
title: Action Raises KeyError
"""


class Action:
    def action(self, body: dict):
        return body["no_such_key"]
