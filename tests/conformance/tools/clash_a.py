"""
title: Clash A
description: defines search(); loaded together with clash_b
"""


class Tools:
    def search(self, q: str) -> str:
        """Search in A."""
        return f"A:{q}"

    def only_a(self) -> str:
        """Only in A."""
        return "only_a"
