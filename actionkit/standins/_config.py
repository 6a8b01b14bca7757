"""Stand-in for ``open_webui.models.config``: ``Config.get`` reads the simulation's config dict."""

from __future__ import annotations

from typing import Any

from . import context
from ._base import host_async

__all__ = ["Config"]


class _ConfigTable:
    """``Config``: persistent settings by dotted key (``"openai.enable"``); unset keys give the default."""

    @host_async("Config")
    async def get(self, key: str, default: Any = None) -> Any:
        return context.current().config.get(key, default)

    @host_async("Config")
    async def get_many(self, *keys: str) -> dict[str, Any]:
        config = context.current().config
        return {key: config[key] for key in keys if key in config}

    @host_async("Config")
    async def get_all(self) -> dict[str, Any]:
        return dict(context.current().config)

    def __repr__(self) -> str:
        return "<actionkit stand-in for open_webui Config>"


Config = _ConfigTable()
