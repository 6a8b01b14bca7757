"""
title: Citations And Attributes
description: citation and file_handler attributes; source events emitted by the tool itself
"""


class Tools:
    def __init__(self):
        self.citation = True
        self.file_handler = False

    async def lookup(self, topic: str, __event_emitter__=None) -> str:
        """
        Look a topic up and cite where it came from.

        :param topic: what to look up
        """
        await __event_emitter__(
            {
                "type": "source",
                "data": {
                    "source": {"name": f"encyclopedia/{topic}"},
                    "document": [f"{topic} is a topic."],
                    "metadata": [{"source": f"encyclopedia/{topic}"}],
                },
            }
        )
        await __event_emitter__({"type": "status", "data": {"description": f"found {topic}", "done": True}})
        return f"{topic} is a topic."
