"""A call and its Simulation as the data that crosses to a release's worker process and back.

The parent plans the call first (with the simulator's own planning code, so bad input fails here,
before any worker starts), then sends what the worker needs to make the same call: the function's
(or the tool's) id, name and source, the valves to save (the store's when none are given), and
every other option as given. Callables stay in the parent: a ``replies`` callable and the scripted
model (``llm=`` or a ``MockModel.use()`` block: its chat and image replies) are asked over the
channel (``asks``).
The Simulation comes back field by field (:mod:`actionkit._wire` keeps tuples, bytes and secrets;
other objects show their repr).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from typing import Any

from .._wire import decode, decode_error, encode, encode_error
from ..function import LoadKind, loaded
from ..sim import Call, Simulation, build_plan, secret_values
from ..standins import MockModel
from ._llm import scripted_model

# The Simulation fields that cross (the Function it ran stays in the parent).
FIELDS = tuple(f.name for f in dataclasses.fields(Simulation) if f.name != "function")
# What a call sends as given (the function, valves and the callables are handled apart).
_AS_GIVEN = ("body", "hook", "stream", "task", "timeout", "event", "tool_call")
# Sent as the plan read them (a user or model object as its dict).
_AS_PLANNED = ("user", "model", "metadata", "files")


@dataclasses.dataclass
class Outgoing:
    """A call ready to send: its data, the parent's answers to the worker's questions, and the
    planned function (for the Simulation that comes back)."""

    data: dict[str, Any]
    answers: dict[str, Callable[..., Any]]
    function: Any
    timeout: float
    what: str
    secrets: frozenset[str]
    tool: bool = False


def outgoing(call: Call) -> Outgoing:
    """Plan ``call`` here (a SimulationError for bad input) and build what the worker needs."""
    plan = build_plan(dataclasses.replace(call, valves=None, user_valves=None, on_record=None))
    fn = plan.fn
    data: dict[str, Any] = {key: encode(getattr(call, key)) for key in _AS_GIVEN}
    data.update({key: encode(plan.inputs.get(key)) for key in _AS_PLANNED})
    data["sub_id"] = plan.sub_id
    data["real_ids"] = bool(call.real_ids)
    kind = "tool" if plan.kind == "tool" else "function"
    data["function"] = {"id": fn.id, "name": fn.name, "content": fn.content, "kind": kind}
    data["valves"] = encode(call.valves if call.valves is not None else plan.valves)
    wanted_user_valves = call.user_valves if call.user_valves is not None else plan.user_valves
    data["user_valves"] = encode(
        wanted_user_valves if wanted_user_valves or call.user_valves is not None else None
    )
    answers: dict[str, Callable[..., Any]] = {}
    replies = call.replies
    if callable(replies):
        answers["replies"] = replies
        data["replies"] = None
    else:
        data["replies"] = encode(replies)
    llm = scripted_model(call.llm)
    data["llm_models"] = list(llm.models) if llm is not None else None
    if llm is not None:
        answers["llm.complete"] = llm.acomplete
        answers["llm.sse"] = _sse_lines(llm)
        answers["llm.images"] = llm.agenerate_images
    data["asks"] = sorted(answers)
    secrets = secret_values(fn, call.valves or plan.valves, wanted_user_valves or {})
    what = f"{fn.id}.{plan.handler_name}()"
    return Outgoing(data, answers, fn, plan.timeout, what, secrets, tool=kind == "tool")


def _sse_lines(llm: MockModel) -> Callable[[dict[str, Any]], Any]:
    async def lines(body: dict[str, Any]) -> dict[str, Any]:
        sent: list[bytes] = []
        try:
            async for line in llm.asse(body):
                sent.append(line)
        except Exception as exc:
            return {"lines": sent, "error": encode_error(exc)}
        return {"lines": sent, "error": None}

    return lines


Ask = Callable[[str, list[Any]], "asyncio.Future[Any]"]


class RemoteModel(MockModel):
    """The parent's scripted model, seen from the worker: every answer is the parent's."""

    def __init__(self, models: list[str], ask: Ask) -> None:
        super().__init__(models=models)
        self._ask = ask

    async def acomplete(self, body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = await self._ask("llm.complete", [body])
        return answer

    async def agenerate_images(self, body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = await self._ask("llm.images", [body])
        return answer

    async def asse(self, body: dict[str, Any]) -> AsyncIterator[bytes]:
        answer = await self._ask("llm.sse", [body])
        for line in answer["lines"]:
            yield line
        if answer["error"] is not None:
            raise decode_error(answer["error"])


def incoming(data: dict[str, Any], ask: Ask) -> Call:
    """The worker's Call for what :func:`outgoing` sent (the host must already be started: the
    source may import open_webui at module level)."""
    function = data["function"]
    kind: LoadKind = "tool" if function.get("kind") == "tool" else "function"
    fn = loaded(function["content"], id=function["id"], name=function["name"], kind=kind)
    options = {key: decode(data[key]) for key in (*_AS_GIVEN, *_AS_PLANNED, "sub_id")}
    asks = set(data.get("asks") or ())
    replies: Any = decode(data["replies"])
    if "replies" in asks:

        async def replies(call: dict[str, Any]) -> Any:
            return await ask("replies", [call])

    llm = RemoteModel(list(data["llm_models"]), ask) if data.get("llm_models") is not None else None
    return Call(
        fn,
        **options,
        valves=decode(data["valves"]),
        user_valves=decode(data["user_valves"]),
        replies=replies,
        llm=llm,
        real_ids=bool(data.get("real_ids")),
        runtime="open-webui",
    )


def simulation_data(sim: Simulation) -> dict[str, Any]:
    """Every field of ``sim`` (lazy ones computed) as wire data (a tool call's outcome as its
    fields, which the Simulation that comes back turns into the same ``ToolOutput``)."""
    data = {name: encode(getattr(sim, name)) for name in FIELDS if name != "tool"}
    data["tool"] = encode(None if sim.tool is None else dataclasses.asdict(sim.tool))
    return data


def simulation_from(data: dict[str, Any], call: Call, function: Any) -> Simulation:
    """The Simulation the worker sent, with the parent's function and the inputs as the parent
    gave them (a replies callable, a MockModel object)."""
    fields = {name: decode(data[name]) for name in FIELDS if name in data}
    fields["timeline"] = [tuple(entry) for entry in fields.get("timeline") or []]
    fields["secret_values"] = frozenset(fields.get("secret_values") or ())
    sim = Simulation(**fields, function=function)
    inputs = dict(sim.inputs)
    if callable(call.replies):
        inputs["replies"] = call.replies
    if call.llm is not None and not isinstance(call.llm, str | list | tuple):
        inputs["llm"] = call.llm
    sim.inputs = inputs
    return sim
