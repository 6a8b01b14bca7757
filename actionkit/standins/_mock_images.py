"""The image reply of a :class:`~actionkit.standins.MockModel`: what an image generation request
(OpenAI's ``POST /images/generations``) gets back.

``MockModel(image=...)`` takes the image as ``bytes``, a ``data:image/...;base64,...`` URI or base64
text; a list of those (the images of one answer); a callable ``image(request)`` (sync or async)
returning any of these; or an exception instance, raised as if the image provider failed. Without
it every request gets a 1x1 PNG. An answer holds ``n`` images (the request's ``n``) unless the reply
is a list. The answer is the provider's JSON: ``{"created": ..., "data": [{"b64_json": ...}, ...]}``.
"""

from __future__ import annotations

import base64
import binascii
import copy
import inspect
from typing import Any

from ..errors import MockModelError
from ..host import FIXED_TIME

# A 1x1 PNG: the image of a MockModel given no image reply.
DEFAULT_IMAGE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


async def image_answer(reply: Any, request: dict[str, Any]) -> dict[str, Any]:
    """The provider's answer to ``request`` for the image reply ``reply``."""
    if reply is None:
        reply = DEFAULT_IMAGE
    if callable(reply) and not isinstance(reply, BaseException):
        reply = reply(copy.deepcopy(request))
        if inspect.isawaitable(reply):
            reply = await reply
    if isinstance(reply, BaseException):
        raise reply
    if isinstance(reply, list | tuple):
        images = list(reply)
    else:
        count = request.get("n", 1)
        images = [reply] * (count if isinstance(count, int) and count > 0 else 1)
    return {"created": FIXED_TIME, "data": [{"b64_json": _base64(image)} for image in images]}


def _base64(image: Any) -> str:
    if isinstance(image, bytes | bytearray):
        return base64.b64encode(bytes(image)).decode("ascii")
    if isinstance(image, str):
        text = image.split(",", 1)[1] if image.startswith("data:") and "," in image else image
        try:
            base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise MockModelError(
                "a mock image must be bytes, a data:image/...;base64 URI or base64 text; "
                f"got text that is not base64: {image[:40]!r}"
            ) from None
        return text
    raise MockModelError(
        "a mock image must be bytes, a data: URI or base64 text (or a list of them), "
        f"got {type(image).__name__}"
    )


def check_image(reply: Any) -> None:
    """Refuse an image reply that can never work, when the model is made."""
    if reply is None or callable(reply) or isinstance(reply, BaseException):
        return
    for image in reply if isinstance(reply, list | tuple) else [reply]:
        _base64(image)
