"""
title: Tools Only
"""


class Tools:
    def run(self) -> str:
        return "tools are not functions"
