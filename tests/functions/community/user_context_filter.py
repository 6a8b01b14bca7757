"""
title: User Context
author: actionkit community samples
version: 1.1.0
description: Tells the model who it is talking to, from the user's profile.
"""

from loguru import logger
from open_webui.models.users import Users
from pydantic import BaseModel, Field
from utils.misc import add_or_update_system_message, get_last_user_message


class Filter:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Filter order")
        template: str = Field(default="You are talking to {name} ({role}).")

    class UserValves(BaseModel):
        share_name: bool = Field(default=True, description="Let the model know my name")

    def __init__(self):
        self.valves = self.Valves()

    async def inlet(self, body: dict, __user__: dict | None = None) -> dict:
        user = await Users.get_user_by_id(__user__["id"]) if __user__ else None
        if user is None:
            logger.warning("no user for this request")
            return body
        share = __user__["valves"].share_name if "valves" in __user__ else True
        name = user.name if share else "a user"
        note = self.valves.template.format(name=name, role=user.role)
        body["messages"] = add_or_update_system_message(note, body.get("messages", []))
        logger.debug("last user message: {}", get_last_user_message(body["messages"]))
        return body
