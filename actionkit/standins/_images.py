"""Stand-in for ``open_webui.routers.images``: ``image_generations`` answered by the mock model.

0.12.4's ``image_generations(request, form_data, metadata=None, user=None)`` asks the configured image
engine; here the engine is OpenAI's, as by default, and its answer is the simulation's mock model's
image reply (``MockModel(image=...)``, a 1x1 PNG by default). The request it sends is the host's
(``{"model": "dall-e-2", "prompt", "n", "size", "response_format": "b64_json"}``, in the model's
``image_calls``); each image is stored as the host stores it (the upload folder and a ``Files`` row
the ``Files`` stand-in then finds) and the call returns the host's list of
``{"id", "url": "/api/v1/files/<id>/content", "name", "content_type"}``. Failures are the host's:
``HTTPException(400, "[ERROR: Internal Server Error]")`` when the provider fails (the mock model
raised), ``"Something went wrong :/"`` for an answer that holds no image.
"""

from __future__ import annotations

import base64
import hashlib
import io
import mimetypes
from typing import Any

from pydantic import BaseModel

from ..host import GENERATED_FILE_ID
from . import context
from ._base import host_async, http_exception
from ._files import FileForm, Files
from ._storage import Storage

__all__ = ["CreateImageForm", "GenerateImageForm", "image_generations"]

DEFAULT_SIZE = "512x512"
DEFAULT_MODEL = "dall-e-2"
IMAGE_FILE_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/jpg": ".jpg",
    "image/mpo": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
}
# The first bytes of the formats image providers send, and their type as Pillow names it.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)
_PROVIDER_FAILED = "Internal Server Error"  # what the host reports when its image provider fails


class CreateImageForm(BaseModel):
    model: str | None = None
    prompt: str
    size: str | None = None
    n: int = 1
    steps: int | None = None
    negative_prompt: str | None = None


GenerateImageForm = CreateImageForm  # the host's alias


@host_async("")
async def image_generations(
    request: Any, form_data: CreateImageForm, metadata: dict[str, Any] | None = None, user: Any = None
) -> list[dict[str, Any]]:
    size = DEFAULT_SIZE
    if form_data.size and "x" in form_data.size:
        size = form_data.size
    tuple(map(int, size.split("x")))  # the host reads width and height here (a bad size fails)
    metadata = metadata or {}
    try:
        data = {
            "model": DEFAULT_MODEL,
            "prompt": form_data.prompt,
            "n": form_data.n,
            "size": form_data.size or DEFAULT_SIZE,
            "response_format": "b64_json",
        }
        try:
            answer = await context.current().llm.agenerate_images(data)
        except Exception as exc:
            raise _ProviderError(_PROVIDER_FAILED) from exc
        images = []
        for image in answer["data"]:
            image_data, content_type = _image_data(image["b64_json"])
            images.append(await _upload_image(request, image_data, content_type, {**data, **metadata}, user))
        return images
    except Exception as exc:
        error = str(exc) if isinstance(exc, _ProviderError) else exc
        raise http_exception(400, _error_message(error)) from exc


class _ProviderError(Exception):
    """The provider answered with an HTTP error (the host reports its reason phrase)."""


def _error_message(err: Any) -> str:
    """``ERROR_MESSAGES.DEFAULT`` of 0.12.4."""
    if not err or isinstance(err, Exception):
        return "Something went wrong :/"
    return f"[ERROR: {err}]"


def _image_data(data: str) -> tuple[bytes | None, str | None]:
    """``get_image_data`` for base64 text or a data URI: the bytes and their type, or ``(None, None)``
    when they are not an image, as the host logs and returns."""
    try:
        if "," in data:
            header, encoded = data.split(",", 1)
            # The host's own reading of the type: lstrip removes the characters d, a, t and ':'.
            return base64.b64decode(encoded), header.split(";")[0].lstrip("data:")  # noqa: B005
        image = base64.b64decode(data)
        return image, _mime(image)
    except Exception:
        return None, None


def _mime(image: bytes) -> str:
    """What Pillow, the host's image reader, says an image is, for the formats image providers send."""
    if image[:4] == b"RIFF" and image[8:12] == b"WEBP":
        return "image/webp"
    for signature, mime in _SIGNATURES:
        if image.startswith(signature):
            return mime
    raise ValueError("cannot identify image file")


async def _upload_image(
    request: Any, image_data: bytes | None, content_type: str | None, metadata: dict[str, Any], user: Any
) -> dict[str, Any]:
    """``upload_image``: store the image as an uploaded file and describe it."""
    if image_data is None or content_type is None:
        raise ValueError("Failed to retrieve image data from the generation backend")
    extension = (
        IMAGE_FILE_EXTENSIONS.get(content_type.lower()) or mimetypes.guess_extension(content_type) or ".png"
    )
    name = f"generated-image{extension}"
    user_id, email, user_name = user.id, user.email, user.name
    tables = context.current().tables
    number = int(tables.get("stored_files", 0)) + 1
    tables["stored_files"] = number
    file_id = GENERATED_FILE_ID.format(number)
    tags = {
        "OpenWebUI-User-Email": email,
        "OpenWebUI-User-Id": user_id,
        "OpenWebUI-User-Name": user_name,
        "OpenWebUI-File-Id": file_id,
    }
    contents, path = Storage.upload_file(io.BytesIO(image_data), f"{file_id}_{name}", tags)
    meta = {
        "name": name,
        "content_type": content_type,
        "size": len(contents),
        "file_hash": hashlib.sha256(contents).hexdigest(),
        "data": metadata,
    }
    stored = await Files.insert_new_file(
        user_id, FileForm(id=file_id, filename=name, path=path, data={}, meta=meta)
    )
    assert stored is not None
    request.app  # noqa: B018 - the host builds the file's URL from the request's app
    return {
        "id": stored.id,
        "url": f"/api/v1/files/{stored.id}/content",
        "name": (stored.meta or {}).get("name") or stored.filename,
        "content_type": (stored.meta or {}).get("content_type"),
    }
