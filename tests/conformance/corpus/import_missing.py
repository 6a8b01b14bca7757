"""
title: Import Missing
requirements: actionkit-no-such-package
"""

import actionkit_no_such_module


class Action:
    async def action(self, body: dict):
        return actionkit_no_such_module.VALUE
