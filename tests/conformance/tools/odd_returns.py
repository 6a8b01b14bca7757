"""
title: Odd Returns
description: results that are neither text nor JSON data: sets, generators, objects with a str, exceptions returned
"""


class Report:
    def __str__(self):
        return "a report"


class Tools:
    def as_set(self) -> set:
        """Return a set."""
        return {1}

    def as_object(self):
        """Return an object with a __str__."""
        return Report()

    def as_exception(self):
        """Return (not raise) an exception."""
        return ValueError("returned, not raised")

    def nested_tuple(self):
        """Return a tuple inside a dict."""
        return {"pair": (1, 2), "text": "ok"}

    def error_dict_in_list(self):
        """Return a list holding an error object."""
        return [{"error": "inside a list"}]
