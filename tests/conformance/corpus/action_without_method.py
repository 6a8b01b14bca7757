"""
title: Action Without Method
"""


class Action:
    def run(self, body: dict):
        return "never called"
