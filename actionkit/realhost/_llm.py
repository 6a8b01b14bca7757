"""The scripted model (``llm=``) inside the real open-webui: a pipe function registered as that model.

In a simulation the ``generate_chat_completion`` stand-in answers every request with the run's
:class:`~actionkit.standins.MockModel`. In the real host the same request goes through the host's
own ``generate_chat_completion``: it looks the model up in ``app.state.MODELS``, checks access, and
hands a model marked ``"pipe"`` to the function stored under the model's id. So for each model id of
the mock model a small pipe function is stored under that id; it answers with the same mock model:
the ``chat.completion`` dict it makes, or, when streaming, a ``StreamingResponse`` of the SSE lines an
OpenAI-compatible provider sends (the host passes both on unchanged). Everything between the function
and the model is the host's code.

The pipe is stored through the host's functions table, not its create handler: model ids such as
``gpt-4o-mini`` are not identifiers, which only the create handler requires; the chat completion
path looks functions up by any id. Runs on the host's event loop.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..standins import MockModel, model_in_use
from ._adapters import db, host_module
from ._events import current_recorder
from ._host import OpenWebUIHost

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from ..standins import MockModel

SCRIPTED_MODEL_SOURCE = '''"""
title: actionkit scripted model
description: Answers with the replies of the MockModel given to the run as llm=.
"""


class Pipe:
    async def pipe(self, body: dict):
        from actionkit.realhost._llm import answer

        return await answer(body)
'''

PIPE_MARK = {"type": "pipe"}

current_llm: ContextVar[MockModel | None] = ContextVar("actionkit_owui_llm", default=None)


def scripted_model(given: Any) -> MockModel | None:
    """The run's mock model: ``llm=`` when given, else the one a ``MockModel.use()`` block set."""

    if given is not None:
        return MockModel.coerce(given)
    return model_in_use()


def _check_id(model_id: str, function_id: str) -> None:
    if "." in model_id:
        raise SimulationError(
            f"the scripted model id {model_id!r} contains a dot, which open-webui reads as "
            "'<function id>.<manifold model>'",
            function_id=function_id,
            hint="give the MockModel ids without dots, e.g. MockModel(..., models=['scripted_model'])",
        )


async def register_models(host: OpenWebUIHost, llm: MockModel, function_id: str) -> list[str]:
    """Store (or reuse) and activate the scripted pipe under each of ``llm``'s model ids.

    The function under test keeps its own id: a model id equal to it is not registered.
    """
    models = host_module("open_webui.models.functions")
    functions = models.Functions
    registered: list[str] = []
    for model_id in llm.models:
        if model_id == function_id:
            continue
        _check_id(model_id, function_id)
        existing = await db(functions.get_function_by_id(model_id))
        if existing is not None and existing.content != SCRIPTED_MODEL_SOURCE:
            await db(functions.delete_function_by_id(model_id))
            existing = None
        if existing is None:
            form = models.FunctionForm(
                id=model_id,
                name=model_id,
                content=SCRIPTED_MODEL_SOURCE,
                meta=models.FunctionMeta(description="actionkit scripted model"),
            )
            await db(functions.insert_new_function(host.admin.id, "pipe", form))
        if existing is None or not existing.is_active:
            await db(functions.update_function_by_id(model_id, {"is_active": True}))
        registered.append(model_id)
    return registered


def model_registry(
    llm: MockModel | None, registered: list[str], chat_model: dict[str, Any]
) -> dict[str, Any]:
    """``app.state.MODELS`` for one run: the chat's model and the scripted models, marked as pipes.

    When the chat's model is one of the scripted models it is marked too (the host sends a request
    for it to the pipe), so ``__model__`` then carries ``"pipe"``.
    """
    registry: dict[str, Any] = {}
    if llm is not None:
        for model_id in registered:
            registry[model_id] = {**llm.model_entry(model_id), "pipe": dict(PIPE_MARK)}
    chat_id = str(chat_model.get("id"))
    if chat_id in registry:
        registry[chat_id] = {**chat_model, "pipe": dict(PIPE_MARK)}
    else:
        registry[chat_id] = chat_model
    return registry


async def answer(body: dict[str, Any]) -> Any:
    """The scripted pipe's answer: the run's mock model on the request the host handed the pipe."""
    llm = current_llm.get()
    if llm is None:
        raise RuntimeError("actionkit scripted model: no llm= is set for this run")
    if body.get("stream"):
        response_class = host_module("starlette.responses").StreamingResponse
        return response_class(_marked(llm.asse(body)), media_type="text/event-stream")
    try:
        return await llm.acomplete(body)
    except Exception:
        _mark_model_error()
        raise


async def _marked(lines: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    try:
        async for line in lines:
            yield line
    except Exception:
        _mark_model_error()
        raise


def _mark_model_error() -> None:
    """The host logs the scripted model's failure as ``Error: ...``, like a failing pipe under test:
    tell the run's recorder that this one is the model's, not the function's."""
    recorder = current_recorder.get()
    if recorder is not None:
        recorder.model_errors += 1
