"""
title: Event Without Method
"""


class Event:
    pass
