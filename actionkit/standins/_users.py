"""Stand-in for ``open_webui.models.users``: the simulation's users, with 0.12.4's async methods."""

from __future__ import annotations

import datetime
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import context
from ._base import StandinTable, host_async

__all__ = ["User", "UserModel", "UserSettings", "UserStatusModel", "Users", "UsersTable"]

_DEFAULT_PROFILE_IMAGE_URL = "/api/v1/users/{user_id}/profile/image"
_COLUMNS = [
    "id",
    "email",
    "username",
    "role",
    "name",
    "profile_image_url",
    "profile_banner_image_url",
    "bio",
    "gender",
    "date_of_birth",
    "timezone",
    "presence_state",
    "status_emoji",
    "status_message",
    "status_expires_at",
    "info",
    "variables",
    "settings",
    "oauth",
    "scim",
    "last_active_at",
    "updated_at",
    "created_at",
]


class UserSettings(BaseModel):
    ui: dict[str, Any] | None = {}
    model_config = ConfigDict(extra="allow")


class UserModel(BaseModel):
    """Same fields, defaults and validators as open-webui 0.12.4's ``UserModel``."""

    id: str
    email: str
    username: str | None = None
    role: str = "pending"
    name: str
    profile_image_url: str | None = None
    profile_banner_image_url: str | None = None
    bio: str | None = None
    gender: str | None = None
    date_of_birth: datetime.date | None = None
    timezone: str | None = None
    presence_state: str | None = None
    status_emoji: str | None = None
    status_message: str | None = None
    status_expires_at: int | None = None
    info: dict[str, Any] | None = None
    variables: dict[str, Any] = Field(default_factory=dict, exclude=True)
    settings: UserSettings | None = None
    oauth: dict[str, Any] | None = None
    scim: dict[str, Any] | None = None
    last_active_at: int
    updated_at: int
    created_at: int

    model_config = ConfigDict(from_attributes=True)

    @model_validator(mode="after")
    def _ensure_profile_image(self) -> UserModel:
        self.profile_image_url = self.profile_image_url or _DEFAULT_PROFILE_IMAGE_URL.format(user_id=self.id)
        return self

    @field_validator("variables", mode="before")
    @classmethod
    def normalize_variables(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}


class UserStatusModel(UserModel):
    is_active: bool = False
    model_config = ConfigDict(from_attributes=True)


class User:
    """The database row class: keyword arguments must be column names and a column never set reads
    as ``None``, as with SQLAlchemy."""

    __tablename__ = "user"

    def __init__(self, **kwargs: Any) -> None:
        for key, value in kwargs.items():
            if key not in _COLUMNS:
                raise TypeError(f"{key!r} is an invalid keyword argument for User")
            setattr(self, key, value)

    def __getattr__(self, name: str) -> Any:
        if name in _COLUMNS:
            return None
        raise AttributeError(f"'User' object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"<User {getattr(self, 'id', None)!r}>"


def _model(user: dict[str, Any]) -> UserModel:
    return UserModel.model_validate({k: v for k, v in user.items() if k in _COLUMNS})


def _users() -> list[dict[str, Any]]:
    return context.current().users


class UsersTable(StandinTable):
    """``Users``: answers from the simulation's user (and any extra users given to it)."""

    _real_key = "open_webui.models.users.Users"
    _label = "Users"

    @host_async("Users")
    async def get_user_by_id(self, id: str, db: Any = None) -> UserModel | None:
        user = context.current().find_user(id)
        return _model(user) if user is not None else None

    @host_async("Users")
    async def get_user_by_email(self, email: str, db: Any = None) -> UserModel | None:
        for user in _users():
            if str(user.get("email", "")).lower() == str(email).lower():
                return _model(user)
        return None

    @host_async("Users")
    async def get_user_by_api_key(self, api_key: str, db: Any = None) -> UserModel | None:
        return None

    @host_async("Users")
    async def get_users(
        self,
        filter: dict[str, Any] | None = None,
        sort: dict[str, Any] | None = None,
        skip: int | None = None,
        limit: int | None = None,
        db: Any = None,
    ) -> dict[str, Any]:
        users = [_model(u) for u in _users()]
        query = str((filter or {}).get("query") or "").lower()
        if query:
            users = [u for u in users if query in u.name.lower() or query in u.email.lower()]
        total = len(users)
        start = skip or 0
        end = None if limit is None else start + limit
        return {"users": users[start:end], "total": total}

    @host_async("Users")
    async def get_users_by_user_ids(self, user_ids: list[str], db: Any = None) -> list[UserModel]:
        return [_model(u) for u in _users() if u.get("id") in set(user_ids)]

    @host_async("Users")
    async def get_valid_user_ids(self, user_ids: list[str], db: Any = None) -> list[str]:
        known = {u.get("id") for u in _users()}
        return [uid for uid in user_ids if uid in known]

    @host_async("Users")
    async def get_num_users(self, db: Any = None) -> int | None:
        return len(_users())

    @host_async("Users")
    async def has_users(self, db: Any = None) -> bool:
        return bool(_users())

    @host_async("Users")
    async def get_first_user(self, db: Any = None) -> UserModel | None:
        users = sorted(
            _users(),
            key=lambda u: (u.get("created_at") or 0, u.get("role") != "admin", str(u.get("id"))),
        )
        return _model(users[0]) if users else None

    @host_async("Users")
    async def get_super_admin_user(self, db: Any = None) -> UserModel | None:
        admins = [u for u in _users() if u.get("role") == "admin"]
        return _model(admins[0]) if admins else None

    @host_async("Users")
    async def update_user_by_id(self, id: str, updated: dict[str, Any], db: Any = None) -> UserModel | None:
        user = context.current().find_user(id)
        if user is None:
            return None
        user.update(updated)
        return _model(user)

    @host_async("Users")
    async def update_user_settings_by_id(
        self, id: str, updated: dict[str, Any], db: Any = None
    ) -> UserModel | None:
        user = context.current().find_user(id)
        if user is None:
            return None
        settings = dict(user.get("settings") or {})
        changes = dict(updated)
        ui = changes.pop("ui", None)
        settings.update(changes)
        if ui is not None:
            current_ui = dict(settings.get("ui") or {})
            for key, value in ui.items():
                if value is None:
                    current_ui.pop(key, None)
                else:
                    current_ui[key] = value
            settings["ui"] = current_ui
        user["settings"] = settings
        return _model(user)

    @host_async("Users")
    async def update_user_role_by_id(self, id: str, role: str, db: Any = None) -> UserModel | None:
        user = context.current().find_user(id)
        if user is None:
            return None
        user["role"] = role
        return _model(user)

    @host_async("Users")
    async def update_last_active_by_id(self, id: str, db: Any = None) -> None:
        return None

    @host_async("Users")
    async def is_user_active(self, user_id: str, db: Any = None) -> bool:
        user = context.current().find_user(user_id)
        return user is not None and self.is_active(_model(user))

    @staticmethod
    def is_active(user: UserModel) -> bool:
        """Active when seen in the last three minutes, as in the host."""
        return bool(user.last_active_at) and user.last_active_at >= int(time.time()) - 180


Users = UsersTable()
