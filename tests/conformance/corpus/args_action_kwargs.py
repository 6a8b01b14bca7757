"""
title: Args Action Kwargs
"""


class Action:
    def action(self, body: dict, __id__=None, **kwargs) -> dict:
        return {"id": __id__, "kwargs": sorted(kwargs)}
