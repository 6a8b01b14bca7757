"""
title: Host Modules
"""

import json

from open_webui.main import generate_chat_completions
from open_webui.models.files import Files
from open_webui.models.users import User, UserModel, Users
from open_webui.routers.images import CreateImageForm, GenerateImageForm, image_generations
from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        model: str = "scripted_model"
        stream: bool = False
        image_size: str = ""
        images: int = 1

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__: dict, __request__=None) -> dict:
        user = await Users.get_user_by_id(__user__["id"])
        out = {"same_form": GenerateImageForm is CreateImageForm}
        form = {"model": self.valves.model, "messages": [{"role": "user", "content": "Hi"}]}
        if self.valves.stream:
            form["stream"] = True
        try:
            answer = await generate_chat_completions(__request__, form, user)
            if hasattr(answer, "body_iterator"):
                lines = [
                    line.decode() if isinstance(line, bytes) else line async for line in answer.body_iterator
                ]
                chunks = [json.loads(line[6:]) for line in lines if line.startswith("data: {")]
                out["completion"] = "".join(
                    c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"]
                )
                out["done"] = lines[-1].strip()
            else:
                out["completion"] = answer["choices"][0]["message"]["content"]
        except Exception as exc:
            out["completion_error"] = f"{type(exc).__name__}: {exc}"
        form = CreateImageForm(prompt="a cat", n=self.valves.images, size=self.valves.image_size or None)
        try:
            images = await image_generations(__request__, form, metadata={"purpose": "test"}, user=user)
            out["images"] = images
            stored = await Files.get_file_by_id(images[0]["id"])
            meta = dict(stored.meta)
            out["stored"] = {
                "filename": stored.filename,
                "user_id": stored.user_id,
                "data": stored.data,
                "meta": meta,
            }
        except Exception as exc:
            out["image_error"] = f"{type(exc).__name__}: {exc}"
        row = User(
            id="row",
            name="Row",
            email="row@example.com",
            role="user",
            last_active_at=1,
            updated_at=1,
            created_at=1,
        )
        out["row"] = {
            "table": User.__tablename__,
            "bio": row.bio,
            "model": UserModel.model_validate(row).model_dump(),
        }
        try:
            User(valves={})
        except TypeError as exc:
            out["row_error"] = str(exc)
        return out
