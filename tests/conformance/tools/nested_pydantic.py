"""
title: Nested Models
description: nested pydantic models and Field descriptions are inlined in the spec; what the method receives
"""
from typing import Optional

from pydantic import BaseModel, Field


class Address(BaseModel):
    """A postal address."""

    street: str = Field(..., description="street and number")
    zip: Optional[str] = None


class Person(BaseModel):
    """A person."""

    name: str
    age: int = 0
    address: Address
    tags: list[str] = []


class Tools:
    def register(self, person: Person, note: Optional[Address] = None) -> dict:
        """
        Register a person.

        :param person: the person
        """
        return {"person_type": type(person).__name__, "person": person if isinstance(person, dict) else repr(person),
                "note_type": type(note).__name__}
