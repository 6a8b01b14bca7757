"""
title: Filter Returns None
"""


class Filter:
    def inlet(self, body: dict):
        body["touched"] = True

    def stream(self, event: dict):
        return None
