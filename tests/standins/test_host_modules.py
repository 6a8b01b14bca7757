"""The stand-ins for ``open_webui.routers.images``, ``open_webui.main`` and the ``User`` row class
(compared with the real 0.12.4 by the conformance cases ``host_modules_*``)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

import actionkit.standins as standins
from actionkit.errors import MockModelError
from actionkit.standins import MockModel
from actionkit.standins import context as sim_context
from actionkit.standins._mock_images import DEFAULT_IMAGE

GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
ADMIN = {"id": "u1", "name": "Ada", "email": "ada@example.com", "role": "admin"}


@pytest.fixture(autouse=True)
def installed() -> Iterator[None]:
    assert standins.install() is True
    yield
    standins.uninstall()


def request() -> SimpleNamespace:
    return SimpleNamespace(state=SimpleNamespace(), app=SimpleNamespace(state=SimpleNamespace()))


def user(**fields: object) -> object:
    from open_webui.models.users import UserModel

    return UserModel(**{**ADMIN, "last_active_at": 1, "updated_at": 1, "created_at": 1, **fields})


def generate(llm: MockModel, **form: object) -> list[dict]:
    from open_webui.routers.images import CreateImageForm, image_generations

    async def main() -> list[dict]:
        return await image_generations(request(), CreateImageForm(prompt="a cat", **form), {"k": 1}, user())

    with sim_context.simulation_context(user={**ADMIN}, llm=llm):
        return asyncio.run(main())


def test_image_generation_asks_the_mock_model_and_stores_the_image_as_the_host_does() -> None:
    from open_webui.models.files import Files

    llm = MockModel()

    async def main() -> tuple[list[dict], object]:
        from open_webui.routers.images import CreateImageForm, GenerateImageForm, image_generations

        assert GenerateImageForm is CreateImageForm
        images = await image_generations(request(), CreateImageForm(prompt="a cat"), {"k": 1}, user())
        return images, await Files.get_file_by_id(images[0]["id"])

    with sim_context.simulation_context(user={**ADMIN}, llm=llm):
        images, stored = asyncio.run(main())
    file_id = "00000000-0000-4000-8000-00000000f001"
    assert images == [
        {
            "id": file_id,
            "url": f"/api/v1/files/{file_id}/content",
            "name": "generated-image.png",
            "content_type": "image/png",
        }
    ]
    assert llm.image_calls == [
        {"model": "dall-e-2", "prompt": "a cat", "n": 1, "size": "512x512", "response_format": "b64_json"}
    ]
    assert stored.filename == "generated-image.png" and stored.user_id == "u1" and stored.data == {}
    assert stored.meta == {
        "name": "generated-image.png",
        "content_type": "image/png",
        "size": len(DEFAULT_IMAGE),
        "file_hash": hashlib.sha256(DEFAULT_IMAGE).hexdigest(),
        "data": {**llm.image_calls[0], "k": 1},
    }
    assert Path(stored.path).read_bytes() == DEFAULT_IMAGE


@pytest.mark.parametrize(
    ("image", "form", "names"),
    [
        (GIF, {"n": 2, "size": "256x256"}, ["generated-image.gif", "generated-image.gif"]),
        ("data:image/gif;base64," + base64.b64encode(GIF).decode(), {}, ["generated-image.gif"]),
        ([GIF, DEFAULT_IMAGE], {}, ["generated-image.gif", "generated-image.png"]),
        (lambda req: [DEFAULT_IMAGE] * req["n"], {"n": 3}, ["generated-image.png"] * 3),
    ],
    ids=["bytes_n", "data_uri", "list", "callable"],
)
def test_the_image_reply_can_be_bytes_a_data_uri_a_list_or_a_callable(image, form, names) -> None:
    assert [i["name"] for i in generate(MockModel(image=image), **form)] == names


@pytest.mark.parametrize(
    ("image", "detail"),
    [(RuntimeError("down"), "[ERROR: Internal Server Error]"), (b"not an image", "Something went wrong :/")],
    ids=["provider_fails", "not_an_image"],
)
def test_image_generation_fails_with_the_hosts_http_error(image: object, detail: str) -> None:
    with pytest.raises(Exception) as info:
        generate(MockModel(image=image))
    assert (info.value.status_code, info.value.detail) == (400, detail)


def test_a_bad_size_or_a_dict_form_fail_before_the_engine_is_asked_like_the_host() -> None:
    from open_webui.routers.images import image_generations

    with pytest.raises(ValueError, match="invalid literal for int"):
        generate(MockModel(), size="bigxsmall")
    with pytest.raises(AttributeError, match="'dict' object has no attribute 'size'"):
        asyncio.run(image_generations(request(), {"prompt": "a cat"}))


def test_an_image_reply_that_can_never_work_is_refused_when_the_model_is_made() -> None:
    with pytest.raises(MockModelError, match="not base64"):
        MockModel(image="a cat picture")
    with pytest.raises(MockModelError, match="got int"):
        MockModel(image=[1])


def test_the_mock_server_answers_image_requests_with_the_image_reply() -> None:
    model = MockModel(image=GIF)
    with model.serve() as server:
        body = json.dumps({"prompt": "x", "n": 2}).encode()
        req = urllib.request.Request(
            f"{server.url}/images/generations", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req) as response:
            answer = json.load(response)
    assert [base64.b64decode(item["b64_json"]) for item in answer["data"]] == [GIF, GIF]
    assert model.image_calls == [{"prompt": "x", "n": 2}]
    model.reset()
    assert model.image_calls == []


def test_main_serves_the_chat_completion_handler_under_its_old_names() -> None:
    from open_webui import main

    assert main.generate_chat_completions is main.chat_completion is main.generate_chat_completion
    llm = MockModel("Hello there.", models=["scripted"])
    form = {"model": "scripted", "messages": [{"role": "user", "content": "Hi"}]}

    async def call(form: dict, who: object, req: object = None) -> object:
        return await main.generate_chat_completions(req or request(), form, who)

    with sim_context.simulation_context(user={**ADMIN}, llm=llm):
        answer = asyncio.run(call(dict(form), user()))
        streamed = asyncio.run(call({**form, "stream": True}, user()))
        failures = []
        for bad_form, who in (
            ({**form, "model": "gpt-5"}, user()),
            (dict(form), user(role="user")),
            (form, {}),
        ):
            with pytest.raises(Exception) as info:
                asyncio.run(call(bad_form, who))
            failures.append((info.value.status_code, info.value.detail))
        with pytest.raises(AttributeError, match="has no attribute 'app'"):
            asyncio.run(call(dict(form), user(), SimpleNamespace(state=SimpleNamespace())))
    assert answer["choices"][0]["message"]["content"] == "Hello there."
    assert hasattr(streamed, "body_iterator")
    assert failures == [
        (400, "Model not found"),
        (400, "Model not found"),
        (400, "'dict' object has no attribute 'role'"),
    ]


def test_the_user_row_class_reads_unset_columns_as_none_and_refuses_other_names() -> None:
    from open_webui.models.users import User, UserModel

    row = User(
        id="r", name="R", email="r@example.com", role="user", last_active_at=1, updated_at=1, created_at=1
    )
    assert (User.__tablename__, row.bio, row.settings) == ("user", None, None)
    assert UserModel.model_validate(row).profile_image_url == "/api/v1/users/r/profile/image"
    with pytest.raises(TypeError, match="'valves' is an invalid keyword argument for User"):
        User(valves={})
    with pytest.raises(AttributeError):
        row.not_a_column  # noqa: B018


def test_supported_lists_the_new_modules() -> None:
    served = standins.supported()
    assert served["open_webui.main"] == [
        "chat_completion",
        "generate_chat_completion",
        "generate_chat_completions",
    ]
    assert served["open_webui.routers.images"] == [
        "CreateImageForm",
        "GenerateImageForm",
        "image_generations",
    ]
    assert "User" in served["open_webui.models.users"]
