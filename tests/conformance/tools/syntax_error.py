"""
title: Syntax Error
description: the loader surfaces the SyntaxError
"""


class Tools:
    def broken(self) -> str
        return "never"
