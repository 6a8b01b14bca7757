"""
title: Pipe Pydantic
"""

from pydantic import BaseModel


class Answer(BaseModel):
    text: str
    score: float = 0.5


class Pipe:
    def pipe(self, body: dict) -> Answer:
        return Answer(text="a model")
