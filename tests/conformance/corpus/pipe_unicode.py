"""
title: Pipe Unicode
"""


class Pipe:
    def pipe(self, body: dict):
        yield "héllo wörld ✓ 日本"
        yield "line\u2028separator"
        yield {"text": "ünïcode ✓", "big": 1e16, "small": 1.5e-7, "int": 10**18, "nested": [True, None]}
