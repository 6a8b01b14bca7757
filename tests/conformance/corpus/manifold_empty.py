"""
title: Manifold Empty
"""


class Pipe:
    def __init__(self):
        self.pipes = []

    def pipe(self, body: dict, __metadata__: dict) -> str:
        return f"called as {body['model']} (model {__metadata__['model']['id']})"
