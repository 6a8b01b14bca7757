"""
title: Valves Schema
"""

from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, Field


class Mood(str, Enum):  # noqa: UP042
    CALM = "calm"
    LOUD = "loud"


class Action:
    class Valves(BaseModel):
        priority: int = Field(0, description="Lower runs first")
        api_key: str = Field("", description="Key", json_schema_extra={"input": {"type": "password"}})
        temperature: float = Field(0.7, ge=0.0, le=2.0)
        style: Literal["short", "long"] = "short"
        mood: Mood = Mood.CALM
        maximum: Optional[int] = None  # noqa: UP045 - the form people write
        tags: list[str] = Field(default_factory=lambda: ["a", "b"])
        extra: dict = Field(default_factory=dict)
        colour: str = Field("#FF0000", json_schema_extra={"input": {"type": "color"}})
        size: str = Field(
            "m",
            json_schema_extra={"input": {"type": "select", "options": ["s", "m", "l"]}},
        )
        model: str = Field(
            "",
            json_schema_extra={"input": {"type": "select", "options": "model_options"}},
        )
        broken: str = Field(
            "",
            json_schema_extra={"input": {"type": "select", "options": "no_such_method"}},
        )
        required_text: str

        @classmethod
        def model_options(cls, __user__=None) -> list:
            role = (__user__ or {}).get("role", "nobody")
            return [{"value": "gpt", "label": f"GPT for {role}"}, "plain"]

    class UserValves(BaseModel):
        language: str = Field("en", description="Answer language")
        enabled: bool = True
        voice: str = Field(
            "alloy",
            json_schema_extra={"input": {"type": "select", "options": "voices"}},
        )

        @classmethod
        def voices(cls, user=None) -> list:
            return ["alloy", "echo", (user or {}).get("name", "?")]

    def __init__(self):
        self.valves = self.Valves(required_text="init")

    async def action(self, body: dict) -> dict:
        return self.valves.model_dump(mode="json")
