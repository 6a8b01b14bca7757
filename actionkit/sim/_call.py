"""The options of one simulated call, as ``simulate`` and ``asimulate`` take them.

:class:`Call` *is* their signature: :mod:`actionkit.runtimes` builds both entry points from it, so
every option is written once, here, and travels as this one frozen object from the public call to
the plan (:func:`~actionkit.sim.build_plan`) and from there to the handler.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..store import Store

C = TypeVar("C")


def _stored_at_once(cls: type[C]) -> type[C]:
    """Give the frozen dataclass ``cls`` an ``__init__`` of the same signature that writes every
    field straight into the instance dict (the generated one calls ``object.__setattr__`` once per
    field, a sixth of the time of a quick simulated call)."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(f.default_factory is not dataclasses.MISSING or not f.init for f in fields):
        raise TypeError(f"{cls.__name__}: only plain fields can be stored at once")
    generated = cls.__init__
    parameters: list[str] = []
    namespace: dict[str, Any] = {}
    keyword_only = False
    for parameter in list(inspect.signature(generated).parameters.values())[1:]:
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
            parameters.append("*")
            keyword_only = True
        if parameter.default is parameter.empty:
            parameters.append(parameter.name)
        else:
            namespace[f"_default_{parameter.name}"] = parameter.default
            parameters.append(f"{parameter.name}=_default_{parameter.name}")
    stores = "".join(f"    state[{f.name!r}] = {f.name}\n" for f in fields)
    exec(f"def __init__(self, {', '.join(parameters)}):\n    state = self.__dict__\n{stores}", namespace)
    init = namespace["__init__"]
    for attribute in ("__module__", "__qualname__", "__doc__", "__annotations__"):
        setattr(init, attribute, getattr(generated, attribute))
    setattr(cls, "__init__", init)  # noqa: B010 - replacing the generated method
    return cls


@_stored_at_once
@dataclass(frozen=True)
class Call:
    """One call of a function, as given (checked when it is planned, not here).

    ``target``: a loaded ``Function``, a stored id (``"my_action"`` or ``"my_action.sub"``, looked
    up in ``store`` or the default ``Store()``), a ``.py`` path or source text.
    ``body``: the request (``event`` for ``hook="stream"``); realistic defaults per hook when left
    out. ``hook``: ``"inlet"``, ``"request"``, ``"stream"`` or ``"outlet"`` for filters.
    ``sub_id``: a sub-action of an action, or a manifold pipe's model. ``stream``: run a pipe in
    stream mode. ``valves`` / ``user_valves``: values as saved in Open WebUI (``ValvesError`` when
    they do not validate). ``user``: fields over the default user. ``replies``: answers to
    ``__event_call__`` (a list, or a callable taking the call dict). ``model``: the model dict
    (``__model__``) or a model id. ``metadata``: fields over the chat metadata. ``task``: a
    background task name for pipes (``"title_generation"``…). ``files``: the chat's file items.
    ``timeout``: seconds for the call and the tasks it starts. ``store``: where stored ids and saved
    valves come from. ``real_ids``: real uuid/clock in pipe chunks instead of fixed ones. ``llm``:
    the scripted model answering ``generate_chat_completion`` (a ``MockModel``, a reply, a list of
    replies or a callable; default: the enclosing ``Chat`` / ``MockModel.use()`` one).
    ``on_record``: a callable told about each record as it happens, ``("event", event)``,
    ``("call", call)``, ``("reply", call_record)``, ``("chunk", sse_line)`` (what it raises is
    ignored). ``runtime``: ``"actionkit"`` (this simulator) or ``"open-webui"`` (the installed
    open-webui itself).
    """

    target: Any
    body: Any = None
    _: KW_ONLY
    hook: str | None = None
    sub_id: str | None = None
    stream: bool = False
    valves: dict[str, Any] | None = None
    user_valves: dict[str, Any] | None = None
    user: Any = None
    replies: Any = None
    model: Any = None
    metadata: dict[str, Any] | None = None
    task: str | None = None
    files: list[Any] | None = None
    timeout: float = 60.0
    store: Store | None = None
    real_ids: bool = False
    llm: Any = None
    on_record: Callable[[str, Any], None] | None = None
    runtime: str = "actionkit"
