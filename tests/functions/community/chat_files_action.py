"""
title: Chat Files Digest
author: actionkit community samples
version: 0.1.0
description: Lists the files attached in the chat and counts its stored messages.
"""

from open_webui.models.chats import Chats
from open_webui.models.files import Files
from open_webui.models.models import Models
from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        pass

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__: dict | None = None, __event_emitter__=None) -> dict:
        chat = await Chats.get_chat_by_id(body.get("chat_id", ""))
        stored = len(chat.chat["history"]["messages"]) if chat else 0
        names = []
        for message in chat.chat["history"]["messages"].values() if chat else []:
            for item in message.get("files") or []:
                row = await Files.get_file_by_id(item.get("id", ""))
                if row is not None:
                    names.append(f"{row.filename} ({len((row.data or {}).get('content', ''))} chars)")
        workspace = await Models.get_model_by_id(body.get("model", ""))
        return {
            "stored_messages": stored,
            "files": names,
            "workspace_model": workspace.name if workspace else None,
        }
