"""
title: Filter Raises Empty
"""


class Filter:
    def inlet(self, body: dict) -> dict:
        raise ValueError()
