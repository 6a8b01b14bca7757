"""
title: Optional And Defaults
description: Optional[X], X | None, None defaults, untyped parameters, Literal
"""
from typing import Literal, Optional


class Tools:
    def pick(
        self,
        required_untyped,
        opt: Optional[int] = None,
        pipe_opt: "str | None" = None,
        opt_required: Optional[str] = ...,
        untyped_default=None,
        number: int = 5,
        mode: Literal["fast", "slow"] = "fast",
        maybe_list: Optional[list[int]] = None,
    ) -> dict:
        """Pick things.
        :param required_untyped: no annotation at all
        :param opt: Optional[int] with None default
        """
        return {
            "required_untyped": [required_untyped, type(required_untyped).__name__],
            "opt": [opt, type(opt).__name__],
            "pipe_opt": [pipe_opt, type(pipe_opt).__name__],
            "opt_required": [repr(opt_required), type(opt_required).__name__],
            "untyped_default": [untyped_default, type(untyped_default).__name__],
            "number": [number, type(number).__name__],
            "mode": mode,
            "maybe_list": maybe_list,
        }
