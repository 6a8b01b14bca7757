"""
title: Import Rewrite
"""

TEXT = "from mainframe import x; from configs import y; from utilsx import z; from apps.a import b"


class Action:
    async def action(self, body: dict):
        return TEXT
