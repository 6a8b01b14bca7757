"""
title: Echo
description: echoes text; used by pipes through __tools__
"""


class Tools:
    def echo(self, text: str, __id__: str = None, __user__: dict = None) -> str:
        """
        Echo text back.

        :param text: the text
        """
        return f"echo:{text}:{__id__}:{type(__user__).__name__}"
