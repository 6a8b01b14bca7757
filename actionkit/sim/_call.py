"""The options of one simulated call, as ``simulate`` and ``asimulate`` take them.

:class:`Call` *is* their signature: :mod:`actionkit.runtimes` builds both entry points from it, so
every option is written once, here, and travels as this one frozen object from the public call to
the plan (:func:`~actionkit.sim.build_plan`) and from there to the handler.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..function import LoadKind
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
    ignored). ``runtime``: ``"actionkit"`` (this simulator), ``"open-webui"`` (the installed
    open-webui itself) or ``"open-webui==<version>"`` (that release, 0.8 to 0.12, in a worker
    process of its own, installed on first use). ``event``: for an Event function, the application
    event it is called for (a name such as ``"chat.created"``, or a dict of the payload's fields:
    ``event``, ``data``, ``subject``, ``actor``…). ``tool_call``: for a Tool, the model's call of one
    of its methods (``{"name": ..., "arguments": {...} or JSON text}``).
    ``isolate``: load and run the function in a worker process (loading bounded by
    ``timeout`` too; a worker that dies or hangs is a failed simulation); ``None`` follows
    ``ACTIONKIT_ISOLATE``. ``allow_network``: let an isolated function reach past loopback.
    ``memory_limit``: megabytes of address space an isolated worker may use (default 2048).
    """

    target: Any
    body: Any = None
    _: KW_ONLY
    hook: str | None = None
    sub_id: str | None = None
    stream: bool = False
    valves: dict[str, Any] | None = field(default=None, repr=False)  # secrets inside: not in the repr
    user_valves: dict[str, Any] | None = field(default=None, repr=False)
    user: Any = None
    replies: Any = field(default=None, repr=False)  # may answer a password prompt
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
    event: Any = field(default=None, repr=False)  # its data may hold secret-looking keys
    tool_call: Any = None
    isolate: bool | None = None
    allow_network: bool = False
    memory_limit: int | None = None


@dataclass(frozen=True)
class Source:
    """Function source as a ``simulate`` target, loaded where the call runs (in a worker process when
    isolated, so this process never runs it): ``content`` with the ``id`` and ``name`` it is loaded
    under (from its title when left out), the ``line_offset`` of its error lines and the ``kind`` it
    is loaded as (``"function"`` or ``"tool"``; by default from its classes)."""

    content: str
    id: str | None = None
    name: str | None = None
    line_offset: int = 0
    kind: LoadKind | None = None

    @classmethod
    def of(cls, fn: Any) -> Source:
        """The source of a loaded function or tool, loaded again as the same kind."""
        return cls(
            fn.content, fn.id, fn.name, fn.line_offset, kind="tool" if fn.type == "tool" else "function"
        )
