"""
title: Field Constraints
description: Annotated Field descriptions and constraints, default factories, a :param line overriding a Field description
"""
from typing import Annotated

from pydantic import Field


class Tools:
    def book(
        self,
        seats: Annotated[int, Field(ge=1, le=9, description="how many seats")],
        name: Annotated[str, Field(min_length=2, description="from the Field")] = "guest",
        notes: list[str] = Field(default_factory=list),
    ) -> dict:
        """
        Book seats.

        :param name: from the docstring
        """
        return {"seats": seats, "name": name, "notes": notes}
