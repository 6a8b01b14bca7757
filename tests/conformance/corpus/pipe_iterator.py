"""
title: Pipe Iterator
"""


class Pipe:
    def pipe(self, body: dict):
        return iter(["it", "er", "ator"])
