from __future__ import annotations

import pytest

import actionkit
from actionkit import Function

VALVED_ACTION = '''"""
title: Counter
description: counts
version: 0.1
"""
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        priority: int = 0
        limit: int = Field(3, ge=0, le=10)
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})

    class UserValves(BaseModel):
        language: str = "en"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return body
'''


@pytest.fixture
def valved_action() -> Function:
    return actionkit.load(VALVED_ACTION)
