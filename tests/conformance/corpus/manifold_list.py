"""
title: Manifold List
"""


class Pipe:
    def __init__(self):
        self.name = "ML/"
        self.pipes = [{"id": "small", "name": "Small"}, {"id": "large", "name": "Large"}]

    def pipe(self, body: dict) -> str:
        return f"dispatched to {body['model']}"
