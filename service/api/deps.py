"""Shared API dependencies: the engine, the chat service, and staff keys."""

from __future__ import annotations

import hashlib
import secrets

from fastapi import HTTPException, Request, status

from service.api.answer_pool import AnswerPool
from service.chat.service import ChatService
from service.engine import Engine


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_chat(request: Request) -> ChatService:
    return request.app.state.chat


def get_pool(request: Request) -> AnswerPool:
    return request.app.state.answer_pool


def key_owner(request: Request) -> str | None:
    """The sha256 of the caller's staff key (checked by require_key), or None when keys are off. Stored
    with a conversation instead of the key, so memory holds no usable key."""
    if not request.app.state.settings.api_keys:
        return None
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    return hashlib.sha256(token.encode()).hexdigest()


def require_key(request: Request) -> None:
    """When BULLETINS_API_KEYS is set, every API route (not /healthz, not the page) needs a Bearer key."""
    keys: list[str] = request.app.state.settings.api_keys
    if not keys:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    # compare bytes: compare_digest refuses non-ASCII str. Headers arrive latin-1-decoded, so this is the
    # token as sent; a key with non-ASCII characters matches when the client sends it as UTF-8.
    sent = token.strip().encode("latin-1", "replace")
    if scheme.lower() == "bearer" and any(secrets.compare_digest(sent, k.encode("utf-8")) for k in keys):
        return
    detail = (
        "missing API key: send 'Authorization: Bearer <key>' (ask your administrator for a staff key)"
        if not header
        else "invalid API key: check the key you were given"
    )
    raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})
