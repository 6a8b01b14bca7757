"""
title: Action Tuple Embed
"""


class Action:
    actions = [  # noqa: RUF012
        {"id": "location", "name": "Location"},
        {"id": "plain_tuple", "name": "Plain Tuple"},
        {"id": "not_inline", "name": "Not Inline"},
    ]

    async def action(self, body: dict, __id__=None):
        if __id__ == "location":
            return "ignored", {"Content-Disposition": "inline", "Location": "https://example.com/view"}
        if __id__ == "plain_tuple":
            return ("a", "b")
        if __id__ == "not_inline":
            return "<b>x</b>", {"Content-Type": "text/html"}
        return "<b>inline html</b>", {"Content-Disposition": "inline", "Content-Type": "text/html"}
