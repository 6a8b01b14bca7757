"""Stand-in for ``open_webui.env``: the names functions read, computed from the environment as
open-webui 0.12.4 computes them at import."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from ..host import VERSION

__all__ = [
    "AIOHTTP_CLIENT_SESSION_SSL",
    "AIOHTTP_CLIENT_TIMEOUT",
    "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST",
    "BYPASS_MODEL_ACCESS_CONTROL",
    "DATA_DIR",
    "ENABLE_FORWARD_USER_INFO_HEADERS",
    "ENV",
    "GLOBAL_LOG_LEVEL",
    "OFFLINE_MODE",
    "REQUESTS_VERIFY",
    "SRC_LOG_LEVELS",
    "VERSION",
    "WEBUI_AUTH",
    "WEBUI_NAME",
    "log",
]


GLOBAL_LOG_LEVEL = os.getenv("GLOBAL_LOG_LEVEL", "").upper()
if GLOBAL_LOG_LEVEL not in logging.getLevelNamesMapping():
    GLOBAL_LOG_LEVEL = "INFO"
log = logging.getLogger("open_webui.env")

SRC_LOG_LEVELS: dict[str, str] = {}  # legacy name, empty in 0.12.4

ENV = os.getenv("ENV", "dev")

DATA_DIR = Path(os.getenv("DATA_DIR") or Path(tempfile.gettempdir()) / "actionkit-open-webui-data").resolve()

REQUESTS_VERIFY = os.getenv("REQUESTS_VERIFY", "True").lower() == "true"


def _int_or(raw: str, invalid: int | None) -> int | None:
    try:
        return int(raw) if raw else None
    except (ValueError, TypeError):
        return invalid


AIOHTTP_CLIENT_TIMEOUT = _int_or(os.getenv("AIOHTTP_CLIENT_TIMEOUT", ""), 300)
AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST = _int_or(
    os.getenv(
        "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST", os.getenv("AIOHTTP_CLIENT_TIMEOUT_OPENAI_MODEL_LIST", "10")
    ),
    10,
)
_ssl = os.getenv("AIOHTTP_CLIENT_SESSION_SSL", "True")
AIOHTTP_CLIENT_SESSION_SSL: bool | str = _ssl.lower() == "true" if _ssl.lower() in ("true", "false") else _ssl

WEBUI_AUTH = os.getenv("WEBUI_AUTH", "True").lower() == "true"
BYPASS_MODEL_ACCESS_CONTROL = os.getenv("BYPASS_MODEL_ACCESS_CONTROL", "False").lower() == "true"
WEBUI_NAME = os.getenv("WEBUI_NAME", "Open WebUI")
if WEBUI_NAME != "Open WebUI":
    WEBUI_NAME += " (Open WebUI)"
ENABLE_FORWARD_USER_INFO_HEADERS = os.getenv("ENABLE_FORWARD_USER_INFO_HEADERS", "False").lower() == "true"
OFFLINE_MODE = os.getenv("OFFLINE_MODE", "false").lower() == "true"
