"""
title: Unresolvable Annotation
description: an annotation that names nothing: building the specs fails, so the host refuses to create the tool
"""


class Tools:
    def fetch(self, url: "Url") -> str:  # noqa: F821
        """Fetch a URL."""
        return url
