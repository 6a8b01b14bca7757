"""
title: Action HTML Embed
"""

from starlette.responses import HTMLResponse


class Action:
    actions = [  # noqa: RUF012
        {"id": "attachment", "name": "Attachment"},
        {"id": "with_context", "name": "With Context"},
        {"id": "failed", "name": "Failed"},
    ]

    async def action(self, body: dict, __id__=None):
        if __id__ == "attachment":
            return HTMLResponse("<p>download</p>", headers={"Content-Disposition": "attachment"})
        if __id__ == "with_context":
            return HTMLResponse("<p>ctx</p>", headers={"Content-Disposition": "inline"}), {"note": "context"}
        if __id__ == "failed":
            return HTMLResponse("<p>bad</p>", status_code=404, headers={"Content-Disposition": "inline"})
        return HTMLResponse("<h1>Hello</h1>", headers={"Content-Disposition": "inline"})
