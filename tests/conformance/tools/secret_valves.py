"""
title: Secret Valves
description: a password valve used by the tool; the key never appears in what actionkit shows
"""
from pydantic import BaseModel, Field


class Tools:
    class Valves(BaseModel):
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})
        endpoint: str = "https://api.invalid"

    def __init__(self):
        self.valves = self.Valves()

    def status(self) -> dict:
        """Report whether a key is set."""
        return {"has_key": bool(self.valves.api_key), "key_length": len(self.valves.api_key), "endpoint": self.valves.endpoint}
