"""The host's chat and file rows for one real-runtime call, the same ones a simulation shows.

A simulated call's ``open_webui`` stand-ins (``Chats``, ``Files``) answer from the simulation
context the simulator builds from the plan: the chat the call belongs to, holding the call's
messages, and the chat's files. Before a real-runtime call the same context is built from the same
plan, and its chat and files are written into the host's database with the host's own table
methods, so ``Chats.get_chat_by_id`` and ``Files.get_file_by_id`` in the real package find what the
stand-ins would. A chat the host never saves (temporary ``temporary:``/``local:`` and ``channel:``
ids, by the host's own ``is_saved_chat_id``) gets no row. Runs on the host's event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..sim import context_for
from ..standins import Files as SimulatedFiles
from ..standins import context
from ._adapters import db, host_module, insert_chat, is_saved_chat_id

if TYPE_CHECKING:
    from ..sim import Plan


async def write_call_rows(plan: Plan) -> None:
    """Store the chat and the files of the call, replacing rows an earlier run left that differ."""
    ctx = context_for(plan)
    chat = ctx.chat
    if chat is not None and is_saved_chat_id(str(chat["id"])):
        await _write_chat(chat)
    with context.using(ctx):
        files = await SimulatedFiles.get_files()
    for file in files:
        await _write_file(file.model_dump())


async def _write_chat(row: dict[str, Any]) -> None:
    chats_module = host_module("open_webui.models.chats")
    chats = chats_module.Chats
    chat = {**row["chat"], "title": row["title"]}
    existing = await db(chats.get_chat_by_id(row["id"]))
    if existing is not None:
        if existing.user_id == row["user_id"] and existing.title == row["title"] and existing.chat == chat:
            return  # an earlier run stored the same chat and the function left it unchanged
        await db(chats.delete_chat_by_id(row["id"]))
    stored = await insert_chat(row["id"], row["user_id"], chats_module.ChatForm(chat=chat))
    if stored is None:
        raise SimulationError(f"open-webui did not store the chat {row['id']!r} of the call")


_FILE_FIELDS = ("user_id", "hash", "filename", "path", "data", "meta")


async def _write_file(row: dict[str, Any]) -> None:
    files_module = host_module("open_webui.models.files")
    files = files_module.Files
    wanted = {
        **row,
        "path": row.get("path") or "",
        "data": row.get("data") or {},
        "meta": row.get("meta") or {},
    }
    existing = await db(files.get_file_by_id(row["id"]))
    if existing is not None:
        stored = existing.model_dump()
        if all(stored.get(key) == wanted.get(key) for key in _FILE_FIELDS):
            return
        await db(files.delete_file_by_id(row["id"]))
    form = files_module.FileForm(
        id=row["id"],
        hash=row.get("hash"),
        filename=row["filename"],
        path=wanted["path"],
        data=wanted["data"],
        meta=wanted["meta"],
    )
    if await db(files.insert_new_file(row["user_id"], form)) is None:
        raise SimulationError(f"open-webui did not store the file {row['id']!r} of the call")
