"""
title: Pipe List
"""


class Pipe:
    def pipe(self, body: dict):
        return ["a", "list"]
