"""
title: Upstream Proxy
author: actionkit community samples
version: 0.3.0
description: Forwards the chat to an OpenAI-compatible API with aiohttp, streaming or not.
"""

import json
from collections.abc import AsyncGenerator

import aiohttp
from open_webui.env import AIOHTTP_CLIENT_TIMEOUT
from open_webui.utils.misc import pop_system_message
from pydantic import BaseModel, Field


class Pipe:
    class Valves(BaseModel):
        BASE_URL: str = Field(default="https://api.openai.com/v1")
        API_KEY: str = Field(default="", json_schema_extra={"input": {"type": "password"}})
        MODEL: str = Field(default="gpt-4o-mini")
        SYSTEM_PREFIX: str = Field(default="")

    def __init__(self):
        self.valves = self.Valves()

    async def pipe(self, body: dict, __user__: dict) -> str | AsyncGenerator[str, None]:
        system, messages = pop_system_message(body.get("messages", []))
        system_text = (self.valves.SYSTEM_PREFIX + (system["content"] if system else "")).strip()
        if system_text:
            messages = [{"role": "system", "content": system_text}, *messages]
        payload = {"model": self.valves.MODEL, "messages": messages, "stream": bool(body.get("stream"))}
        headers = {"Authorization": f"Bearer {self.valves.API_KEY}", "Content-Type": "application/json"}
        timeout = aiohttp.ClientTimeout(total=AIOHTTP_CLIENT_TIMEOUT)
        if not payload["stream"]:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(f"{self.valves.BASE_URL}/chat/completions", json=payload, headers=headers) as r,
            ):
                r.raise_for_status()
                data = await r.json()
            return data["choices"][0]["message"]["content"]
        return self._stream(payload, headers, timeout)

    async def _stream(self, payload: dict, headers: dict, timeout) -> AsyncGenerator[str, None]:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(f"{self.valves.BASE_URL}/chat/completions", json=payload, headers=headers) as r,
        ):
            r.raise_for_status()
            async for raw in r.content:
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                data = line[len("data:") :].strip()
                if data == "[DONE]":
                    break
                delta = json.loads(data)["choices"][0]["delta"]
                if delta.get("content"):
                    yield delta["content"]
