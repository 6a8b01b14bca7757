"""Stand-in for ``open_webui.constants``: ``TASKS`` exactly as in open-webui 0.12.4."""

from __future__ import annotations

from enum import Enum

__all__ = ["TASKS"]


class TASKS(str, Enum):  # noqa: UP042 - the host's base classes
    """Background task names; ``str(TASKS.X)`` is the value, as in the host."""

    def __str__(self) -> str:
        return str(self.value)

    TITLE_GENERATION = "title_generation"
    FOLLOW_UP_GENERATION = "follow_up_generation"
    TAGS_GENERATION = "tags_generation"
    EMOJI_GENERATION = "emoji_generation"
    QUERY_GENERATION = "query_generation"
    IMAGE_PROMPT_GENERATION = "image_prompt_generation"
    AUTOCOMPLETE_GENERATION = "autocomplete_generation"
    FUNCTION_CALLING = "function_calling"
    MOA_RESPONSE_GENERATION = "moa_response_generation"

    @staticmethod
    def DEFAULT(task: str = "") -> str:
        return f"{task if task else 'generation'}"
