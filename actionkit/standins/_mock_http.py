"""``MockModel(url=...)``: forward chat completion requests to a real OpenAI-compatible server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from ..errors import MockModelError

if TYPE_CHECKING:
    from ._mock_model import MockModel


def _request(
    model: MockModel, body: dict[str, Any], stream: bool
) -> tuple[str, dict[str, Any], dict[str, str]]:
    payload = {k: v for k, v in body.items() if k != "metadata"}
    payload["stream"] = stream
    if model.upstream_model:
        payload["model"] = model.upstream_model
    headers = {"Content-Type": "application/json"}
    if model.api_key:
        headers["Authorization"] = f"Bearer {model.api_key}"
    return f"{model.url}/chat/completions", payload, headers


def _failure(model: MockModel, exc: BaseException) -> Exception:

    return MockModelError(f"the model server at {model.url} failed: {type(exc).__name__}: {exc}")


async def post_completion(model: MockModel, body: dict[str, Any]) -> dict[str, Any]:
    """POST ``body`` (not streaming) and return the decoded JSON answer."""
    import httpx

    url, payload, headers = _request(model, body, stream=False)
    try:
        async with httpx.AsyncClient(timeout=model.timeout) as client:
            response = await client.post(url, json=payload, headers=headers)
            data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise _failure(model, exc) from exc
    if not isinstance(data, dict):
        raise _failure(model, ValueError(f"expected a JSON object, got {type(data).__name__}"))
    return data


async def stream_completion(model: MockModel, body: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
    """POST ``body`` with ``stream: true`` and yield each decoded ``data:`` chunk."""
    import httpx

    url, payload, headers = _request(model, body, stream=True)
    try:
        async with (
            httpx.AsyncClient(timeout=model.timeout) as client,
            client.stream("POST", url, json=payload, headers=headers) as response,
        ):
            async for line in response.aiter_lines():
                line = line.strip()
                if not line.startswith("data:"):
                    continue
                data = line[len("data:") :].strip()
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                if isinstance(chunk, dict):
                    yield chunk
    except (httpx.HTTPError, ValueError) as exc:
        raise _failure(model, exc) from exc


async def post_images(model: MockModel, body: dict[str, Any]) -> dict[str, Any]:
    """POST an image generation request to ``<url>/images/generations``; the decoded JSON answer."""
    import httpx

    headers = {"Content-Type": "application/json"}
    if model.api_key:
        headers["Authorization"] = f"Bearer {model.api_key}"
    try:
        async with httpx.AsyncClient(timeout=model.timeout) as client:
            response = await client.post(f"{model.url}/images/generations", json=body, headers=headers)
            response.raise_for_status()
            data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise _failure(model, exc) from exc
    if not isinstance(data, dict):
        raise _failure(model, ValueError(f"expected a JSON object, got {type(data).__name__}"))
    return data
