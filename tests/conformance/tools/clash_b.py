"""
title: Clash B
description: defines search() too; the second loaded tool's search becomes clash_b_search
"""


class Tools:
    def search(self, q: str, limit: int = 3) -> str:
        """Search in B."""
        return f"B:{q}:{limit}"
