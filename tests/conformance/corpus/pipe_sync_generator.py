"""
title: Pipe Sync Generator
"""


class Pipe:
    def pipe(self, body: dict):
        for word in ["one", " two", " three"]:  # noqa: UP028
            yield word
