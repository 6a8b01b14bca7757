"""
title: Filter Toggle
"""


class Filter:
    def __init__(self):
        self.toggle = True
        self.icon = "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="

    def inlet(self, body: dict, __id__=None) -> dict:
        body["toggled_by"] = __id__
        return body
