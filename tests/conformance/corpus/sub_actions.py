"""
title: Sub Actions
icon_url: data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=
"""


class Action:
    actions = [  # noqa: RUF012
        {"id": "summarize", "name": "Summarize"},
        {"id": "translate", "name": "Translate", "icon_url": "data:image/png;base64,AAAA"},
    ]

    async def action(self, body: dict, __id__=None, __event_emitter__=None) -> dict:
        await __event_emitter__(
            {"type": "status", "data": {"description": f"running {__id__}", "done": True}}
        )
        return {"sub": __id__}
