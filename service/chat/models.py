"""API shapes of a chat answer. Field names follow the issue: answer, citations, abstained, mode,
ungrounded_figures, latency_ms."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from service.chat.text import SURROGATE_HINT, has_lone_surrogate


def _no_lone_surrogate(v: Any) -> Any:
    # before str validation: pydantic's own error for these ("unable to parse raw data") says nothing useful
    if isinstance(v, str) and has_lone_surrogate(v):
        raise PydanticCustomError("lone_surrogate", SURROGATE_HINT)
    return v


Text = Annotated[str, BeforeValidator(_no_lone_surrogate)]  # a request string that UTF-8 can encode


class Citation(BaseModel):
    n: int = Field(description="marker number as used in the answer text: [n]")
    doc_id: str
    article: int
    title: str = ""
    quote: str = Field(description="exactly original_file_text[start:end] (may hold the file's line breaks)")
    text: str = Field(description="the same span, cleaned for display")
    start: int
    end: int
    score: float = 0.0


class FigureCheck(BaseModel):
    text: str = Field(description="the figure as stated in the answer, e.g. 167.78万份")
    grounded: bool
    citations: list[int] = Field(default_factory=list, description="citation numbers whose quote states it")


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    mode: Literal["extractive", "llm"] = "extractive"
    ungrounded_figures: list[str] = Field(default_factory=list)
    figures: list[FigureCheck] = Field(default_factory=list)
    latency_ms: float = 0.0
    conversation_id: str | None = None
    question: str = ""
    resolved_question: str | None = Field(default=None, description="the follow-up rewritten with context")
    notice: str | None = Field(default=None, description="e.g. 'LLM unavailable; answered extractively'")
    answers_question: bool = Field(
        default=False,
        description="the answer states what was asked, with enough confidence; apart from `figures[].grounded`, "
        "which only says a figure is in its quote. False with citations: evidence shown, no figure asserted",
    )
    confidence: float | None = Field(
        default=None, description="P(the answer answers the question) from the fitted confidence model (extractive)"
    )
    parts: list[str] = Field(default_factory=list, description="the questions a multi-part question was split into")


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="the staff question, 1-2000 characters")
    top_k: int | None = Field(default=None, ge=1, le=20)
    filters: dict[str, Any] | None = Field(
        default=None, description="doc_id, place (string or list), date_from, date_to (ISO)"
    )
    conversation_id: Text | None = Field(default=None, max_length=100)

    @field_validator("question")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()
