"""
title: Events All Types
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None) -> str:
        emit = __event_emitter__
        await emit({"type": "status", "data": {"description": "start", "done": False, "hidden": False}})
        await emit({"type": "message", "data": {"content": "Hello"}})
        await emit({"type": "chat:message:delta", "data": {"content": " world"}})
        await emit({"type": "replace", "data": {"content": "Replaced"}})
        await emit({"type": "chat:message", "data": {"content": "Replaced again"}})
        await emit(
            {"type": "files", "data": {"files": [{"type": "image", "url": "https://example.com/a.png"}]}}
        )
        await emit({"type": "chat:message:files", "data": {"files": [{"type": "file", "url": "/f/1"}]}})
        await emit({"type": "embeds", "data": {"embeds": ["<b>embed</b>"]}})
        await emit(
            {"type": "chat:message:embeds", "data": {"embeds": ["https://example.com/e"], "replace": True}}
        )
        await emit(
            {
                "type": "source",
                "data": {
                    "source": {"name": "S1", "id": "s1"},
                    "document": ["doc one"],
                    "metadata": [{"source": "s1", "name": "S1"}],
                    "distances": [0.1],
                },
            }
        )
        await emit(
            {
                "type": "citation",
                "data": {
                    "type": "code_execution",
                    "id": "c1",
                    "name": "run.py",
                    "code": "print(1)",
                    "language": "python",
                    "result": {"output": "1", "error": "", "files": []},
                },
            }
        )
        await emit({"type": "notification", "data": {"type": "success", "content": "Saved"}})
        await emit({"type": "chat:title", "data": "A new title"})
        await emit({"type": "chat:tags", "data": ["ignored"]})
        await emit({"type": "chat:message:error", "data": {"error": {"content": "shown as error"}}})
        await emit({"type": "chat:message:follow_ups", "data": {"follow_ups": ["Why?", "How?"]}})
        await emit({"type": "chat:message:favorite", "data": {"favorite": True}})
        await emit({"type": "chat:message:tasks", "data": {"tasks": [{"id": "t1", "done": False}]}})
        await emit({"type": "chat:completion", "data": {"content": "from completion", "done": False}})
        await emit({"type": "stauts", "data": {"description": "typo", "done": True}})
        await emit({"type": "status", "data": {"description": "end", "done": True}})
        return "all emitted"
