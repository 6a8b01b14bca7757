"""
title: No Tools Class
description: a class named Tool (typo) is not a toolkit
"""


class Tool:
    def hello(self) -> str:
        return "hi"
