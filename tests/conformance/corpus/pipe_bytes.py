"""
title: Pipe Bytes
"""


class Pipe:
    def pipe(self, body: dict):
        return b"raw bytes"
