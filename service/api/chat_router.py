"""Chat routes: POST /chat and POST /chat/stream (Server-Sent Events)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, HTTPException
from fastapi.concurrency import run_in_threadpool
from sse_starlette.sse import EventSourceResponse

from service.api.deps import get_chat, require_key
from service.api.errors import SERVICE_ERRORS
from service.chat.models import Answer, ChatRequest
from service.chat.service import ChatService, QuestionError

router = APIRouter(tags=["chat"], dependencies=[Depends(require_key)], responses=SERVICE_ERRORS)


@router.post("/chat", response_model=Answer, summary="Answer a staff question with citations")
def chat(req: ChatRequest, chat: ChatService = Depends(get_chat)) -> Answer:
    try:
        return chat.answer(req.question, req.top_k, req.filters, req.conversation_id)
    except QuestionError as exc:
        raise HTTPException(422, detail=str(exc)) from exc


@router.post(
    "/chat/stream",
    summary="Answer as Server-Sent Events: meta, delta (clauses), done (the full Answer) or error",
    response_class=EventSourceResponse,
)
async def chat_stream(req: ChatRequest, chat: ChatService = Depends(get_chat)) -> EventSourceResponse:
    try:
        chat.validate(req.question, req.filters)
    except QuestionError as exc:
        raise HTTPException(422, detail=str(exc)) from exc

    events = chat.stream(req.question, req.top_k, req.filters, req.conversation_id)

    async def gen() -> AsyncIterator[dict]:
        try:
            while True:
                item = await run_in_threadpool(next, events, None)
                if item is None:
                    break
                name, data = item
                yield {"event": name, "data": json.dumps(data, ensure_ascii=False)}
        except Exception as exc:  # the stream has started: report in-band, never a broken connection
            yield {"event": "error", "data": json.dumps({"detail": f"{type(exc).__name__}: {exc}"})}

    return EventSourceResponse(gen(), ping=15)
