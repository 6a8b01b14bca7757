"""
title: Reserved Arguments
description: which reserved __x__ arguments a tool method receives, and that they vanish from the spec even when required
"""


def _kind(value):
    if value is None:
        return None
    if callable(value):
        return "callable"
    return type(value).__name__


class Tools:
    def all_reserved(
        self,
        query: str,
        __user__: dict,
        __id__: str,
        __metadata__: dict,
        __messages__: list,
        __files__: list,
        __model__: dict,
        __request__=None,
        __event_emitter__=None,
        __event_call__=None,
        __oauth_token__=None,
        __chat_id__=None,
        __message_id__=None,
        __tools__=None,
        __task__=None,
        __session_id__=None,
    ) -> dict:
        """Report the reserved arguments.
        :param query: anything
        :param __user__: this line must not become a property description
        """
        return {
            "query": query,
            "__user__keys": sorted(__user__.keys()),
            "__user__valves": type(__user__.get("valves")).__name__,
            "__id__": __id__,
            "__metadata__keys": sorted(__metadata__.keys()),
            "__metadata__tools": sorted((__metadata__.get("tools") or {}).keys()),
            "__messages__": __messages__,
            "__files__": __files__,
            "__model__id": __model__.get("id"),
            "__request__": type(__request__).__name__,
            "__event_emitter__": _kind(__event_emitter__),
            "__event_call__": _kind(__event_call__),
            "__oauth_token__": __oauth_token__,
            "__chat_id__": __chat_id__,
            "__message_id__": __message_id__,
            "__tools__": _kind(__tools__),
            "__task__": __task__,
            "__session_id__": __session_id__,
        }

    def needs_unknown_dunder(self, x: str, __nobody_passes_this__: str) -> str:
        """A required reserved-looking argument that the host never passes."""
        return x

    def kwargs_gets_no_dunders(self, x: str, **kwargs) -> dict:
        """Dunders are only passed when named in the signature, never through **kwargs."""
        return {"x": x, "kwargs": sorted(kwargs)}
