"""
title: HTML Embeds
description: HTMLResponse results become embeds; (HTMLResponse, context) tuples; non-inline responses; error statuses
"""
from fastapi.responses import HTMLResponse


class Tools:
    def inline(self) -> HTMLResponse:
        """Inline HTML embed."""
        return HTMLResponse(content="<b>hi</b>", headers={"Content-Disposition": "inline"})

    def inline_with_context(self):
        """HTMLResponse plus text context for the model."""
        return HTMLResponse(content="<i>ctx</i>", headers={"Content-Disposition": "inline"}), "The chart shows 3 bars."

    def inline_with_dict_context(self):
        """HTMLResponse plus dict context."""
        return HTMLResponse(content="<i>ctx</i>", headers={"Content-Disposition": "inline"}), {"bars": 3}

    def not_inline(self) -> HTMLResponse:
        """HTMLResponse without Content-Disposition inline: the body text reaches the model."""
        return HTMLResponse(content="<p>body text</p>")

    def inline_404(self) -> HTMLResponse:
        """Inline HTMLResponse with a client error status."""
        return HTMLResponse(content="<p>missing</p>", status_code=404, headers={"Content-Disposition": "inline"})

    def html_tuple_headers(self):
        """A (html, headers) tuple from a local tool is not an embed (only external/action tools)."""
        return "<p>x</p>", {"Content-Disposition": "inline", "Content-Type": "text/html"}
