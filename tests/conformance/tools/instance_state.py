"""
title: Attributes
description: public non-callable attributes are skipped; the Tools instance is cached and reused across chat turns
"""


class Tools:
    def __init__(self):
        self.name = "not callable"
        self.counter = 0

    def count(self) -> int:
        """Count calls; the instance is cached between turns."""
        self.counter += 1
        return self.counter
