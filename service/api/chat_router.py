"""Chat routes: POST /chat and POST /chat/stream (Server-Sent Events).

Both answer on the service's answer pool (service.api.answer_pool), never on Starlette's shared threads, so
a slow or hanging LLM cannot stall other routes; when the pool stays full they answer 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, HTTPException, Request
from sse_starlette.sse import EventSourceResponse

from service.api.answer_pool import AnswerPool
from service.api.deps import get_chat, get_pool, key_owner, require_key
from service.api.errors import SERVICE_ERRORS
from service.chat.conversations import ConversationNotFound
from service.chat.models import Answer, ChatRequest
from service.chat.service import ChatService, QuestionError

router = APIRouter(tags=["chat"], dependencies=[Depends(require_key)], responses=SERVICE_ERRORS)


def _not_found(cid: str | None) -> HTTPException:
    return HTTPException(404, detail=f"no conversation {cid!r} for this key; omit conversation_id to start one")


@router.post("/chat", response_model=Answer, summary="Answer a staff question with citations")
async def chat(req: ChatRequest, request: Request, chat: ChatService = Depends(get_chat),
               pool: AnswerPool = Depends(get_pool)) -> Answer:
    try:
        return await pool.run(chat.answer, req.question, req.top_k, req.filters, req.conversation_id,
                              owner=key_owner(request))
    except QuestionError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    except ConversationNotFound as exc:
        raise _not_found(req.conversation_id) from exc


@router.post(
    "/chat/stream",
    summary="Answer as Server-Sent Events: meta, delta (clauses), done (the full Answer) or error",
    response_class=EventSourceResponse,
)
async def chat_stream(req: ChatRequest, request: Request, chat: ChatService = Depends(get_chat),
                      pool: AnswerPool = Depends(get_pool)) -> EventSourceResponse:
    owner = key_owner(request)
    try:
        chat.validate(req.question, req.filters)
        if req.conversation_id is not None:
            chat.conversations.get(req.conversation_id, owner)  # a 404 is only possible before streaming
    except QuestionError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    except ConversationNotFound as exc:
        raise _not_found(req.conversation_id) from exc

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, dict] | None] = asyncio.Queue()

    def put(item: tuple[str, dict] | None) -> None:
        with contextlib.suppress(RuntimeError):  # the server's loop is gone (shutdown): nobody listens
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def produce() -> None:
        try:
            for item in chat.stream(req.question, req.top_k, req.filters, req.conversation_id, owner):
                put(item)
        except Exception as exc:  # the stream has started: report in-band, never a broken connection
            put(("error", {"detail": f"{type(exc).__name__}: {exc}"}))
        finally:
            put(None)

    await pool.start(produce)  # 503 here, before any event, when no worker frees up in time

    async def gen() -> AsyncIterator[dict]:
        while (item := await queue.get()) is not None:
            name, data = item
            yield {"event": name, "data": json.dumps(data, ensure_ascii=False)}

    return EventSourceResponse(gen(), ping=15)
