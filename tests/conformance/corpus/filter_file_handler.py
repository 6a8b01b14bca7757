"""
title: Filter File Handler
"""


class Filter:
    def __init__(self):
        self.file_handler = True

    def inlet(self, body: dict) -> dict:
        body["file_names"] = [f.get("name") for f in body.get("files", [])]
        return body
