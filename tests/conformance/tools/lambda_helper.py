"""
title: Lambda Helper
description: a staticmethod lambda is stored with the name <lambda>; get_tools then fails for every chat
"""


class Tools:
    helper = staticmethod(lambda text: text.upper())

    def shout(self, text: str) -> str:
        """Shout the text."""
        return text.upper()
