"""Stand-in for ``open_webui.storage.provider``: the local storage provider of 0.12.4, writing
into a temporary upload folder (``<DATA_DIR>/uploads``)."""

from __future__ import annotations

import os
from typing import BinaryIO

from ._env import DATA_DIR

__all__ = ["UPLOAD_DIR", "LocalStorageProvider", "Storage", "StorageProvider"]

UPLOAD_DIR = DATA_DIR / "uploads"


class StorageProvider:
    def get_file(self, file_path: str) -> str:
        raise NotImplementedError

    def upload_file(self, file: BinaryIO, filename: str, tags: dict[str, str]) -> tuple[bytes, str]:
        raise NotImplementedError

    def delete_file(self, file_path: str) -> None:
        raise NotImplementedError


class LocalStorageProvider(StorageProvider):
    """Files live under ``UPLOAD_DIR``; ``get_file`` returns the local path, as in the host."""

    def upload_file(self, file: BinaryIO, filename: str, tags: dict[str, str]) -> tuple[bytes, str]:
        contents = file.read()
        if not contents:
            raise ValueError(
                "The content provided is empty. Please ensure that there is text or data present "
                "before proceeding."
            )
        UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
        file_path = os.path.join(UPLOAD_DIR, filename)
        with open(file_path, "wb") as f:
            f.write(contents)
        return contents, file_path

    def get_file(self, file_path: str) -> str:
        return file_path

    def delete_file(self, file_path: str) -> None:
        path = os.path.join(UPLOAD_DIR, os.path.basename(file_path))
        if os.path.isfile(path):
            os.remove(path)

    def __repr__(self) -> str:
        return "<actionkit stand-in for open_webui Storage (local)>"


Storage = LocalStorageProvider()
