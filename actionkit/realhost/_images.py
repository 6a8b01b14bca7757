"""The scripted model's image reply inside the real open-webui.

The stand-in ``image_generations`` answers with the run's mock model's image reply. In the real host
the same call goes through the host's own ``routers.images.image_generations`` to its image engine
(OpenAI's, the default): the engine's base URL (a stored setting from 0.10 on, the app's config
before) is pointed, once per process, at a local endpoint
(:class:`~actionkit.standins.MockModel`'s server) that answers each request with the image reply of
the run in progress (runs are one at a time), or a plain ``MockModel()``'s without one.
"""

from __future__ import annotations

from typing import Any

from ..standins import MockModel
from ._adapters import host_module

_CONFIG_KEY = "image_generation.openai.api_base_url"
_server: Any = None
_current: MockModel | None = None


class _RunModel(MockModel):
    """Answers image requests with the current run's mock model."""

    def generate_images(self, body: dict[str, Any]) -> dict[str, Any]:
        return (_current or MockModel()).generate_images(body)


async def serve_images(llm: MockModel | None) -> None:
    """Make ``llm`` answer the host's image requests for this run (the endpoint starts on first use)."""
    global _server, _current
    _current = llm
    if _server is None:
        _server = _RunModel().serve()
        try:
            config = host_module("open_webui.models.config").Config
        except ModuleNotFoundError:  # before 0.10 the image settings live on the app's config
            host_module("open_webui.main").app.state.config.IMAGES_OPENAI_API_BASE_URL = _server.url
        else:
            await config.upsert({_CONFIG_KEY: _server.url})
