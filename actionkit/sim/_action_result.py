"""An action's or a tool's return value after Open WebUI 0.12.4's rich-UI processing
(``process_tool_result``).

An inline ``HTMLResponse`` (or ``(HTMLResponse, context)``), or an ``(html, headers)`` tuple whose
headers say ``Content-Disposition: inline`` with ``text/html`` (or a ``Location``), becomes an
``embeds`` event, and the action's result is replaced by the processed status text. Anything else
is returned as it is, but the same processing still runs (and can fail, e.g. on a 3-tuple or on a dict
that ``json.dumps`` rejects), exactly as in the host. A local tool (type ``""``) gets the same
processing except the ``(html, headers)`` tuple rule, which the host keeps for external, action and
terminal tools.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BASE64_IMAGE = re.compile(r"data:image/[a-zA-Z0-9.+-]+;base64,[A-Za-z0-9+/]+={0,2}", re.IGNORECASE)


def _is_html_response(value: Any) -> bool:
    return hasattr(value, "body") and any(k.__name__ == "HTMLResponse" for k in type(value).__mro__)


def _extract_base64_images(value: Any, files: list[dict[str, Any]]) -> Any:
    if isinstance(value, str):
        if _BASE64_IMAGE.fullmatch(value):
            files.append({"type": "image", "url": value})
            return "[image]"
        return value
    if isinstance(value, dict):
        return {key: _extract_base64_images(item, files) for key, item in value.items()}
    if isinstance(value, list):
        return [_extract_base64_images(item, files) for item in value]
    if isinstance(value, tuple):
        return tuple(_extract_base64_images(item, files) for item in value)
    return value


def _ui_status(name: str) -> dict[str, str]:
    return {
        "status": "success",
        "code": "ui_component",
        "message": f"{name}: Embedded UI result is active and visible to the user.",
    }


_EXTERNAL_TOOL_TYPES = ("external", "action", "terminal")


def process_action_result(name: str, result: Any) -> tuple[Any, list[Any], list[Any]]:
    """``process_tool_result(request, name, result, "action")`` → ``(processed, files, embeds)``."""
    return process_tool_result(name, result, "action")


def process_tool_result(name: str, result: Any, tool_type: str) -> tuple[Any, list[Any], list[Any]]:
    """``process_tool_result(request, name, result, tool_type)`` → ``(processed, files, embeds)``."""
    if result is None:
        return None, [], []  # what the processing below makes of None, without the work
    embeds: list[Any] = []
    context = None
    if isinstance(result, tuple) and len(result) == 2 and _is_html_response(result[0]):
        result, context = result
    if _is_html_response(result):
        disposition = result.headers.get("Content-Disposition", "")
        if "inline" in disposition:
            embeds.append(result.body.decode("utf-8", "replace"))
            status = result.status_code
            if 200 <= status < 300:
                result = context if isinstance(context, str | dict | list) else _ui_status(name)
            else:
                if 400 <= status < 500:
                    text = f"Client error {status} from embedded UI result."
                elif 500 <= status < 600:
                    text = f"Server error {status} from embedded UI result."
                else:
                    text = f"Unexpected status code {status} from embedded UI result."
                result = {"status": "error", "code": "ui_component", "message": f"{name}: {text}"}
        else:
            result = result.body.decode("utf-8", "replace")
    elif tool_type in _EXTERNAL_TOOL_TYPES and isinstance(result, tuple):
        result, headers = result
        try:
            if not isinstance(headers, dict):
                headers = dict(headers)
        except Exception:
            headers = {}
        if headers and isinstance(headers, dict):
            disposition = headers.get("Content-Disposition", headers.get("content-disposition", ""))
            if "inline" in disposition:
                content_type = headers.get("Content-Type", headers.get("content-type", ""))
                location = headers.get("Location", headers.get("location", ""))
                if "text/html" in content_type:
                    html_content = result
                    nested = None
                    if isinstance(result, tuple | list) and len(result) == 2:
                        html_content, nested = result
                    embeds.append(html_content)
                    result = nested if isinstance(nested, str | dict | list) else _ui_status(name)
                elif location:
                    nested = None
                    if isinstance(result, tuple | list) and len(result) == 2:
                        _, nested = result
                    embeds.append(location)
                    result = nested if isinstance(nested, str | dict | list) else _ui_status(name)
    files: list[dict[str, Any]] = []
    if isinstance(result, str) and result.startswith("data:image/"):
        files.append({"type": "image", "url": result})
        result = f"{name}: Image file read successfully."
    if isinstance(result, list):
        for item in list(result):
            if isinstance(item, str) and item.startswith("data:") and not _BASE64_IMAGE.fullmatch(item):
                files.append({"type": "data", "content": item})
                result.remove(item)
    result = _extract_base64_images(result, files)
    if isinstance(result, list):
        result = {"results": result}
    if isinstance(result, dict | list):
        result = json.dumps(result, indent=2, ensure_ascii=False)
    if result is not None and not isinstance(result, str):
        if isinstance(result, tuple):
            result = json.dumps(result[0], indent=2, ensure_ascii=False) if len(result) > 0 else ""
        else:
            result = str(result)
    return result, files, embeds
