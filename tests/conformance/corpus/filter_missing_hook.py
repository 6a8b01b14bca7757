"""
title: Filter Missing Hook
"""


class Filter:
    def inlet(self, body: dict) -> dict:
        body["inlet"] = True
        return body
