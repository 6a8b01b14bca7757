"""
title: Model List Return
description: a list of pydantic models cannot be written as JSON: the host's result processing raises
"""
from pydantic import BaseModel


class Hit(BaseModel):
    title: str


class Tools:
    def search(self, q: str) -> list:
        """Search and return models."""
        return [Hit(title=q)]

    def search_dumped(self, q: str) -> list:
        """Search and return plain dicts."""
        return [Hit(title=q).model_dump()]
