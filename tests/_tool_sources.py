"""Tool sources shared by the unit tests (the conformance suite has its own, in tests/conformance/tools)."""

from __future__ import annotations

WEATHER = '''"""
title: Weather
description: the weather for a city
version: 1.0
"""
from pydantic import BaseModel, Field


class Tools:
    class Valves(BaseModel):
        unit: str = "C"
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})

    class UserValves(BaseModel):
        city_prefix: str = ""

    def __init__(self):
        self.valves = self.Valves()
        self.calls = 0

    async def get_weather(self, city: str, days: int = 1, __user__: dict = None, __event_emitter__=None) -> dict:
        """
        Get the weather for a city.

        :param city: the city name
        :param days: how many days
        """
        self.calls += 1
        await __event_emitter__({"type": "status", "data": {"description": f"looking up {city}", "done": True}})
        return {"city": __user__["valves"].city_prefix + city, "days": days, "unit": self.valves.unit}

    def get_time(self, zone: str = "UTC") -> str:
        """
        The time in a zone.

        :param zone: the time zone
        """
        return f"12:00 {zone}"
'''

RESULTS = '''"""
title: Results
"""
from fastapi.responses import HTMLResponse


class Tools:
    def give(self, kind: str):
        """Return a value of the given kind.

        :param kind: what to return
        """
        return {
            "none": None,
            "text": "plain",
            "dict": {"b": 1, "ü": [1, 2]},
            "list": [1, "two"],
            "tuple": ("first", 2),
            "zero": 0,
            "html": HTMLResponse("<b>hi</b>", headers={"Content-Disposition": "inline"}),
            "html_context": (HTMLResponse("<i>x</i>", headers={"Content-Disposition": "inline"}), "shown"),
            "error_text": "Error: went wrong",
            "image": "data:image/png;base64,iVBORw0KGgo=",
        }[kind]

    def boom(self) -> str:
        """Raise."""
        raise ValueError("boom")
'''

SPECS = '''"""
title: Specs
"""
from typing import Optional


class Tools:
    def plain(self, q: str, limit: int = 3, maybe: Optional[str] = None, anything=None, __user__: dict = None) -> str:
        """
        Search for things.
            Indented on purpose.

        :param q: the query
            over two lines
        :param limit: how many
        :param __user__: never a property
        :return: the hits
        """
        return q

    def no_doc(self, x: int) -> int:
        return x

    def with_kwargs(self, a: str, **kwargs) -> dict:
        """Takes kwargs."""
        return {"a": a, "kwargs": kwargs}

    def _private(self) -> str:
        return "never a spec"

    alias = plain
'''

ASKS = '''"""
title: Asks
"""


class Tools:
    async def confirm(self, item: str, __event_call__=None) -> str:
        """Ask before deleting.

        :param item: the item
        """
        answer = await __event_call__({"type": "confirmation", "data": {"title": "Delete?", "message": item}})
        return f"deleted {item}" if answer is True else f"kept {item}"
'''

SEARCH_A = '''"""
title: Search A
"""


class Tools:
    def search(self, q: str) -> str:
        """Search in A.

        :param q: the query
        """
        return f"A:{q}"
'''

SEARCH_B = (
    SEARCH_A.replace("Search A", "Search B").replace("Search in A", "Search in B").replace('f"A:', 'f"B:')
)
