"""Function sources, bodies and host facts that several test packages use, written once."""

from __future__ import annotations

from pathlib import Path

import actionkit

# An action with admin valves (one secret) and user valves; ``load`` names it ``counter``.
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


# What the client, CLI and magics push to a fake Open WebUI: ``COUNTER`` has a secret valve, ``ECHO``
# is a pipe without frontmatter.
COUNTER = '''"""
title: Counter
description: counts things
"""
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        limit: int = 3
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return {"limit": self.valves.limit}
'''


ECHO = """from pydantic import BaseModel

class Pipe:
    class Valves(BaseModel):
        greeting: str = "hello"

    def __init__(self):
        self.valves = self.Valves()

    def pipe(self, body):
        return self.valves.greeting
"""


# Functions written for a real Open WebUI: they import open_webui, aiohttp, markdown ...
COMMUNITY = Path(__file__).parent / "functions" / "community"


def community(name: str) -> actionkit.Function:
    return actionkit.load_file(COMMUNITY / f"{name}.py")


TRANSCRIPT = [
    {"id": "m1", "role": "user", "content": "What is the capital of France?"},
    {"id": "m2", "role": "assistant", "content": "Paris."},
]


def action_body(messages: list[dict] = TRANSCRIPT) -> dict:
    return {"model": "gpt-4o-mini", "messages": messages, "chat_id": "c1", "session_id": "s1", "id": "m2"}


# The fields of Open WebUI 0.12.4's UserModel, in the host's order: what ``__user__`` holds and what
# ``Users.get_user_by_id(...).model_dump()`` gives.
HOST_USER_FIELDS = [
    "id",
    "email",
    "username",
    "role",
    "name",
    "profile_image_url",
    "profile_banner_image_url",
    "bio",
    "gender",
    "date_of_birth",
    "timezone",
    "presence_state",
    "status_emoji",
    "status_message",
    "status_expires_at",
    "info",
    "settings",
    "oauth",
    "scim",
    "last_active_at",
    "updated_at",
    "created_at",
]
