"""
title: Pipe None
"""


class Pipe:
    def pipe(self, body: dict):
        return None
