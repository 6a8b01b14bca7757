"""``actionkit.Chat``: whole chat turns through filters, a pipe (or the mock model) and actions.

A :class:`Chat` holds the functions attached to one model and runs each turn the way Open WebUI
0.12.4 does: inlet filters in the host's order, the pipe (or the scripted :class:`MockModel`), every
streamed chunk through the ``stream`` hooks, the outlet filters on the host's synthetic body, and
then, on request, action clicks on the answer. Each step keeps its own simulations and events;
a :class:`Turn` shows them together (a deterministic text transcript and HTML)::

    chat = Chat(pipe, filters=[context_filter], actions=[summarize], llm=MockModel(["Hi!"]))
    turn = chat.send("Hello")
    turn.click("summarize_conversation")
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .._aio import run_sync
from ..errors import SimulationError
from ..function import Function, Tool, stored_valves, tool_row, with_article
from ..host import FIXED_TIME
from ..sim import defaults as d
from ..sim import resolve_function, stale_user_valves
from ..standins import MockModel
from ..view import chat_html, chat_text
from ._run import TurnRunner, message_ids, priority_of
from ._turn import Step, Turn

if TYPE_CHECKING:
    from ..function import Function
    from ..store import Store


class Chat:
    """A chat with one model and the filters and actions attached to it.

    ``model``: a pipe (Function, stored id or source; ``sub_id=`` picks a manifold model), or
    ``None`` to let the mock model ``llm`` answer. ``filters``/``actions``: Functions, stored ids or
    sources. ``tools``: the Tools selected for the chat (Tools, stored tool ids or sources): the
    model is given their specs and its tool calls run in the native tool-calling loop. ``filter_ids``:
    the toggle filters switched on in the chat input. ``valves`` / ``user_valves``: ``{id: {...}}``
    for functions and tools (else the store's, else defaults). ``llm``: the mock
    model behind ``generate_chat_completion`` and model-less chats (a MockModel, a reply, a list of
    replies or a callable). ``user`` / ``users``: the simulated user and other known users.
    """

    def __init__(
        self,
        model: Any = None,
        *,
        filters: Any = (),
        actions: Any = (),
        tools: Any = (),
        llm: Any = None,
        sub_id: str | None = None,
        model_id: str | None = None,
        filter_ids: Any = (),
        valves: dict[str, dict[str, Any]] | None = None,
        user_valves: dict[str, dict[str, Any]] | None = None,
        user: Any = None,
        users: list[dict[str, Any]] | None = None,
        system: str | None = None,
        stream: bool = True,
        replies: Any = None,
        store: Store | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.store = store
        self.llm = MockModel.coerce(llm) if llm is not None else MockModel()
        self.pipe = self._resolve(model, "pipe") if model is not None else None
        self.sub_id = sub_id
        if self.pipe is not None:
            self.model_id = model_id or (f"{self.pipe.id}.{sub_id}" if sub_id else self.pipe.id)
            self.model = d.model_dict(self.pipe, self.model_id)
        else:
            self.model_id = model_id or self.llm.models[0]
            if self.model_id not in self.llm.models:
                self.llm.models.append(self.model_id)
            self.model = self.llm.model_entry(self.model_id)
        self.filters = [self._resolve(f, "filter") for f in _as_list(filters)]
        self.actions = {fn.id: fn for fn in (self._resolve(a, "action") for a in _as_list(actions))}
        self.tools: list[Tool] = [self._resolve_tool(t) for t in _as_list(tools)]
        self.filter_ids = set(_as_list(filter_ids))
        self.valves = dict(valves or {})
        self.user_valves = dict(user_valves or {})
        self.user = user
        self.users = list(users or [])
        self.system = system
        self.stream = stream
        self.replies = replies
        self.timeout = timeout
        self.history: list[dict[str, Any]] = []
        self.turns: list[Turn] = []
        self.model["filters"] = [
            {
                "id": f.id,
                "name": f.name,
                "description": f.description,
                "has_user_valves": f.UserValves is not None,
            }
            for f in self.filters
            if f.toggle
        ]
        self.model["actions"] = [
            {"id": a.id, "name": a.name, "description": a.description} for a in self.actions.values()
        ]

    def _resolve_tool(self, target: Any) -> Tool:
        tool, store, _ = resolve_function(target, self.store, tool=True)
        if self.store is None and store is not None:
            self.store = store
        if not isinstance(tool, Tool):
            raise SimulationError(
                f"{tool.id} is {with_article(tool.type)}, not a Tool: tools= takes class Tools sources",
                function_id=tool.id,
            )
        return tool

    def tool_valves(self, tool: Tool) -> dict[str, Any] | None:
        """The admin valves of a tool in this chat: given to the chat, else stored, else none."""
        if tool.id in self.valves:
            return stored_valves(tool.Valves, self.valves[tool.id], function_id=tool.id)
        if self.store is not None and tool.id in self.store.tools:
            return self.store.tools.valves(tool.id)
        return None

    def tool_user_valves(self, tool: Tool, user_id: str) -> dict[str, Any]:
        """A user's valves of a tool, as stored (values a code change left stale included)."""
        if tool.id in self.user_valves and stale_user_valves(tool, self.user_valves[tool.id]):
            return dict(self.user_valves[tool.id])
        if tool.id in self.user_valves:
            return stored_valves(
                tool.UserValves, self.user_valves[tool.id], function_id=tool.id, what="UserValves"
            )
        if self.store is not None and tool.id in self.store.tools:
            return self.store.tools.user_valves(tool.id, user_id)
        return {}

    def tool_rows(self, user_id: str) -> dict[str, dict[str, Any]]:
        """The chat's tools as rows of the host's tool table (for the ``open_webui`` stand-ins)."""
        return {
            tool.id: tool_row(tool, self.tool_valves(tool), {user_id: self.tool_user_valves(tool, user_id)})
            for tool in self.tools
        }

    def _resolve(self, target: Any, kind: str) -> Function:

        fn, store, _ = resolve_function(target, self.store)
        if self.store is None and store is not None:
            self.store = store  # stored ids were looked up in the default store: use its valves too
        if fn.type != kind:
            raise SimulationError(
                f"{fn.id} is {with_article(fn.type)}, not {with_article(kind)}: "
                "pass pipes as model=, filters in filters=, actions in actions=",
                function_id=fn.id,
            )
        return fn

    # ---- filter order -------------------------------------------------------------------------
    def _stored_valves(self, fn: Function) -> dict[str, Any] | None:
        if fn.id in self.valves:
            return self.valves[fn.id]
        if self.store is not None and fn.id in self.store:
            return self.store.valves(fn.id)
        return None

    def active_filters(self) -> list[Function]:
        """The filters that run, in the host's order: ``(priority, id)``, toggles only when on."""
        active = [f for f in self.filters if not f.toggle or f.id in self.filter_ids]
        priorities = {f.id: priority_of(f, self._stored_valves(f)) for f in active}
        return sorted(active, key=lambda f: (priorities[f.id], f.id))

    def skipped_filters(self) -> list[tuple[Function, str]]:
        return [
            (f, "toggle filter not switched on (add its id to filter_ids)")
            for f in self.filters
            if f.toggle and f.id not in self.filter_ids
        ]

    @property
    def sources(self) -> dict[str, str]:
        """The source of every function in the chat, by id (for ``load_function_module_by_id``)."""
        functions = [*self.filters, *self.actions.values(), *([self.pipe] if self.pipe else [])]
        return {fn.id: fn.content for fn in functions}

    @property
    def filter_order(self) -> list[str]:
        return [f.id for f in self.active_filters()]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The conversation as the page keeps it (ids, roles, contents, timestamps)."""
        return copy.deepcopy(self.history)

    # ---- bodies -------------------------------------------------------------------------------
    def _branch(self, turn: Turn) -> list[dict[str, Any]]:
        end = next(i for i, m in enumerate(turn.history) if m.get("id") == turn.assistant_id)
        return turn.history[: end + 1]

    def inlet_body(self, turn: Turn) -> dict[str, Any]:
        messages = [{"role": m["role"], "content": m.get("content", "")} for m in self._branch(turn)[:-1]]
        if self.system:
            messages.insert(0, {"role": "system", "content": self.system})
        body: dict[str, Any] = {
            "stream": self.stream,
            "model": self.model_id,
            "messages": messages,
            "features": {
                "voice": False,
                "image_generation": False,
                "code_interpreter": False,
                "web_search": False,
            },
            "metadata": copy.deepcopy(turn.metadata),
        }
        if turn.files:
            body["files"] = copy.deepcopy(turn.files)
        return body

    def outlet_body(self, turn: Turn) -> dict[str, Any]:
        keys = ("id", "role", "content", "info", "timestamp")
        messages = []
        for m in self._branch(turn):
            item = {k: copy.deepcopy(m.get(k)) for k in keys}
            if m.get("id") == turn.assistant_id:
                item["finish_reason"] = "stop"
            messages.append(item)
        return {
            "model": self.model_id,
            "messages": messages,
            "filter_ids": sorted(self.filter_ids),
            "chat_id": turn.metadata["chat_id"],
            "session_id": turn.metadata["session_id"],
            "id": turn.assistant_id,
        }

    def action_body(self, turn: Turn) -> dict[str, Any]:
        messages = [
            {k: copy.deepcopy(m[k]) for k in ("id", "role", "content", "info", "timestamp") if k in m}
            for m in self._branch(turn)
        ]
        return {
            "model": self.model_id,
            "messages": messages,
            "chat_id": turn.metadata["chat_id"],
            "session_id": turn.metadata["session_id"],
            "id": turn.assistant_id,
        }

    # ---- running ------------------------------------------------------------------------------
    def _new_turn(self, text: str, files: list[dict[str, Any]] | None) -> Turn:
        if not isinstance(text, str):
            raise SimulationError(f"send() takes the user's message as text, got {type(text).__name__}")
        number = len(self.turns) + 1
        user_id, assistant_id = message_ids(number)
        parent = self.history[-1]["id"] if self.history else None
        user_message = {
            "id": user_id,
            "parentId": parent,
            "childrenIds": [assistant_id],
            "role": "user",
            "content": text,
            "timestamp": FIXED_TIME,
        }
        if files:
            user_message["files"] = copy.deepcopy(files)
        assistant = {
            "id": assistant_id,
            "parentId": user_id,
            "childrenIds": [],
            "role": "assistant",
            "content": "",
            "info": {},
            "timestamp": FIXED_TIME,
            "model": self.model_id,
        }
        if self.history:
            self.history[-1]["childrenIds"] = [user_id]
        self.history.extend([user_message, assistant])
        user = d.user_dict(self.user, "chat", None)
        metadata = d.metadata_dict(self.model, user["id"], sorted(self.filter_ids))
        metadata.update(
            user_message={k: v for k, v in user_message.items() if k != "files"},
            user_message_id=user_id,
            message_id=assistant_id,
            files=copy.deepcopy(files) if files else None,
        )
        turn = Turn(number, text, user_id, assistant_id, metadata, self.history, list(files or []), chat=self)
        self.turns.append(turn)
        return turn

    async def asend(
        self, text: str, *, files: list[dict[str, Any]] | None = None, replies: Any = None
    ) -> Turn:
        """Send ``text`` as the user and run the whole turn; returns the :class:`Turn`."""
        turn = self._new_turn(text, files)
        await TurnRunner(self, turn, replies if replies is not None else self.replies).run()
        return turn

    def send(self, text: str, *, files: list[dict[str, Any]] | None = None, replies: Any = None) -> Turn:
        """Synchronous :meth:`asend` (also inside a running event loop)."""
        return run_sync(self.asend(text, files=files, replies=replies))

    async def aclick(
        self, action: Any, *, sub_id: str | None = None, turn: Turn | None = None, replies: Any = None
    ) -> Step:
        """Click ``action`` (a Function, its id or ``"id.sub_id"``) under a turn's answer (default: last)."""
        if not self.turns:
            raise SimulationError("nothing to click on yet: send a message first")
        target = turn or self.turns[-1]
        fn = self._action(action)
        if isinstance(action, str) and "." in action and sub_id is None:
            sub_id = action.split(".", 1)[1]
        runner = TurnRunner(self, target, replies if replies is not None else self.replies)
        return await runner.click(fn, sub_id)

    def click(
        self, action: Any, *, sub_id: str | None = None, turn: Turn | None = None, replies: Any = None
    ) -> Step:
        return run_sync(self.aclick(action, sub_id=sub_id, turn=turn, replies=replies))

    def _action(self, action: Any) -> Function:

        if isinstance(action, Function):
            return self.actions.get(action.id) or action
        if isinstance(action, str) and action.split(".", 1)[0] in self.actions:
            return self.actions[action.split(".", 1)[0]]
        known = ", ".join(sorted(self.actions)) or "none"
        raise SimulationError(f"no action {action!r} in this chat (actions: {known})")

    # ---- display --------------------------------------------------------------------------------
    def transcript(self) -> str:

        return chat_text(self)

    def __repr__(self) -> str:
        tools = f" tools={[t.id for t in self.tools]}" if self.tools else ""
        return (
            f"<Chat model={self.model_id!r} filters={self.filter_order} actions={sorted(self.actions)}"
            f"{tools} turns={len(self.turns)}>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:

        return {"text/plain": self.transcript(), "text/html": chat_html(self)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]
