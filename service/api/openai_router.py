"""OpenAI-compatible API: POST /v1/chat/completions (stream and non-stream), GET /v1/models and
GET /v1/models/{model}, so Open WebUI, LibreChat, Chatbox or the openai SDK get the same cited answers.
Citations are inline as [n] in the content, listed after it, and returned in an extra `citations` field.
Errors use OpenAI's shape (service/api/errors.py); `usage` counts cl100k_base tokens."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError
from sse_starlette.sse import EventSourceResponse

from service.api.answer_pool import AnswerPool
from service.api.deps import get_chat, get_pool, require_key
from service.api.errors import OPENAI_ERRORS, OpenAIError
from service.chat.conversations import resolve
from service.chat.models import Answer, Text
from service.chat.service import ChatService, QuestionError
from service.chat.text import SURROGATE_HINT, has_lone_surrogate, strip_invisible
from vectorstore.tokens import count_tokens

router = APIRouter(prefix="/v1", tags=["openai-compatible"], dependencies=[Depends(require_key)],
                   responses=OPENAI_ERRORS)
MODEL_ID = "bulletins"


PART_HINT = 'content parts are objects like {"type": "text", "text": "修武县累计做了多少份核酸检测？"}'


def _bad_content(message: str) -> PydanticCustomError:
    return PydanticCustomError("content_invalid", message)


class Message(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    @field_validator("content", mode="before")
    @classmethod
    def _check_content(cls, v: Any) -> Any:
        # One clear message per mistake here, rather than pydantic's errors for each member of the union
        if isinstance(v, str) and has_lone_surrogate(v):
            raise _bad_content(SURROGATE_HINT)
        if not isinstance(v, list):
            return v
        for part in v:
            if not (isinstance(part, dict) and isinstance(part.get("type"), str)):
                raise _bad_content(f"each content part needs a string \"type\"; {PART_HINT}")
            if part["type"] != "text":
                continue  # images, audio...: accepted, not read
            if not isinstance(part.get("text"), str):
                raise _bad_content(f"a text content part needs a string \"text\"; {PART_HINT}")
            if has_lone_surrogate(part["text"]):
                raise _bad_content(f"the text of a content part {SURROGATE_HINT}")
        return v

    def text(self) -> str:
        if isinstance(self.content, list):  # content parts: keep the text ones
            return "".join(p["text"] for p in self.content if p["type"] == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model: Text = MODEL_ID
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    temperature: float | None = None  # accepted for compatibility; answers are grounded, not sampled
    max_tokens: int | None = None
    user: Text | None = None


def _check_model(model: str) -> None:
    if model != MODEL_ID:
        raise OpenAIError(404, f"The model {model!r} does not exist; use {MODEL_ID!r} (GET /v1/models lists it)",
                          param="model", code="model_not_found")


def _model_card() -> dict:
    return {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "bulletins"}


def _usage(req: ChatCompletionRequest, content: str) -> dict[str, int]:
    # cl100k_base, with the framing OpenAI's chat format adds (3 tokens a message, 3 to prime the reply),
    # counted as OpenAI's cookbook counts it
    prompt = 3 + sum(3 + count_tokens(m.role) + count_tokens(m.text()) for m in req.messages)
    completion = count_tokens(content)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _question_and_history(req: ChatCompletionRequest, max_chars: int) -> tuple[str, list[str]]:
    users = [strip_invisible(m.text()) for m in req.messages if m.role == "user" and strip_invisible(m.text())]
    if not users:
        raise OpenAIError(422, "messages must contain a non-empty user message", param="messages")
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
        raise OpenAIError(422, str(exc), param="messages") from exc
    answer.question = question
    answer.resolved_question = resolved if resolved != question else None
    return answer


@router.get("/models", summary="Models (one: the bulletin answerer)")
def models() -> dict:
    return {"object": "list", "data": [_model_card()]}


@router.get("/models/{model}", summary="One model (404 in OpenAI's shape for any but the bulletin answerer)")
def retrieve_model(model: str) -> dict:
    _check_model(model)
    return _model_card()


@router.post("/chat/completions", summary="OpenAI-compatible chat completion with cited answers")
async def chat_completions(req: ChatCompletionRequest, chat: ChatService = Depends(get_chat),
                           pool: AnswerPool = Depends(get_pool)):
    _check_model(req.model)
    answer = await pool.run(_answer, chat, req)  # the answer pool: 503 with Retry-After when it stays full
    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    content = _content(answer)
    usage = await run_in_threadpool(_usage, req, content)
    if not req.stream:
        return {
            "id": cid, "object": "chat.completion", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": usage,
            **_extra(answer),
        }
    # as OpenAI: usage only when asked, in a last chunk with no choices (and null in the others)
    with_usage = bool(req.stream_options and req.stream_options.include_usage)

    def chunk(delta: dict, finish: str | None = None, extra: dict | None = None) -> str:
        body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                **({"usage": None} if with_usage else {}), **(extra or {})}
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
        if with_usage:
            yield {"data": json.dumps({"id": cid, "object": "chat.completion.chunk", "created": created,
                                       "model": MODEL_ID, "choices": [], "usage": usage})}
        yield {"data": "[DONE]"}

    return EventSourceResponse(gen())
