"""OpenAI-compatible API: POST /v1/chat/completions (stream and non-stream) and GET /v1/models, so
Open WebUI, LibreChat, Chatbox or the openai SDK get the same cited answers. Citations are inline as [n]
in the content, listed after it, and returned in an extra `citations` field."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sse_starlette.sse import EventSourceResponse

from service.api.answer_pool import AnswerPool
from service.api.deps import get_chat, get_pool, require_key
from service.chat.conversations import resolve
from service.chat.models import Answer
from service.chat.service import ChatService, QuestionError

router = APIRouter(prefix="/v1", tags=["openai-compatible"], dependencies=[Depends(require_key)])
MODEL_ID = "bulletins"


class Message(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # content parts: keep the text ones
            return "".join(p.get("text", "") for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model: str = MODEL_ID
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    temperature: float | None = None  # accepted for compatibility; answers are grounded, not sampled
    max_tokens: int | None = None
    user: str | None = None


def _question_and_history(req: ChatCompletionRequest, max_chars: int) -> tuple[str, list[str]]:
    users = [m.text().strip() for m in req.messages if m.role == "user" and m.text().strip()]
    if not users:
        raise HTTPException(422, detail="messages must contain a non-empty user message")
    history: list[str] = []
    for q in users[:-1]:  # resolve earlier turns in order, as the conversation store would
        history.append(resolve(q, history, max_chars))
    return users[-1], history


def _content(answer: Answer) -> str:
    if not answer.citations:
        return answer.answer
    lines = [answer.answer, "", "来源："]
    lines += [f"[{c.n}] {c.doc_id} 第{c.article + 1}篇 {c.title}：「{c.text}」" for c in answer.citations]
    return "\n".join(lines)


def _extra(answer: Answer) -> dict[str, Any]:
    return {
        "citations": [c.model_dump() for c in answer.citations],
        "bulletins": {
            "abstained": answer.abstained, "mode": answer.mode, "ungrounded_figures": answer.ungrounded_figures,
            "figures": [f.model_dump() for f in answer.figures], "resolved_question": answer.resolved_question,
            "notice": answer.notice, "latency_ms": answer.latency_ms,
        },
    }


def _answer(chat: ChatService, req: ChatCompletionRequest) -> Answer:
    max_chars = chat.engine.settings.max_question_chars
    question, history = _question_and_history(req, max_chars)
    resolved = resolve(question, history, max_chars)
    try:
        answer = chat.answer(resolved)
    except QuestionError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    answer.question = question
    answer.resolved_question = resolved if resolved != question else None
    return answer


@router.get("/models", summary="Models (one: the bulletin answerer)")
def models() -> dict:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "bulletins"}]}


@router.post("/chat/completions", summary="OpenAI-compatible chat completion with cited answers")
async def chat_completions(req: ChatCompletionRequest, chat: ChatService = Depends(get_chat),
                           pool: AnswerPool = Depends(get_pool)):
    answer = await pool.run(_answer, chat, req)  # the answer pool: 503 with Retry-After when it stays full
    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    content = _content(answer)
    if not req.stream:
        return {
            "id": cid, "object": "chat.completion", "created": created, "model": req.model or MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            **_extra(answer),
        }

    def chunk(delta: dict, finish: str | None = None, extra: dict | None = None) -> str:
        body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": req.model or MODEL_ID,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **(extra or {})}
        return json.dumps(body, ensure_ascii=False)

    async def gen() -> AsyncIterator[dict]:
        yield {"data": chunk({"role": "assistant", "content": ""})}
        piece = ""
        for ch in content:
            piece += ch
            if ch in "，。；：！？\n" and len(piece) >= 4:
                yield {"data": chunk({"content": piece})}
                piece = ""
        if piece:
            yield {"data": chunk({"content": piece})}
        yield {"data": chunk({}, "stop", _extra(answer))}
        yield {"data": "[DONE]"}

    return EventSourceResponse(gen())
