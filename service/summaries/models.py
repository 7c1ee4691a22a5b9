"""API shapes of bulletin summaries, key figures and the cross-bulletin digest.

Every span (`start`, `end`) is a character offset into the ORIGINAL file text, so
`original[start:end] == quote` holds for every sentence and key-figure row.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SummarySentence(BaseModel):
    text: str = Field(description="extractive: the cleaned sentence; llm: the generated sentence, markers removed")
    quote: str = Field(description="exactly original[start:end]: the source sentence this one rests on")
    start: int
    end: int
    article: int
    cites: list[int] = Field(default_factory=list, description="llm only: the [n] sentence numbers it cited")


class ArticleSummary(BaseModel):
    index: int
    title: str = ""
    sentences: list[SummarySentence] = Field(default_factory=list)
    mode: Literal["extractive", "llm"] = "extractive"


class KeyFigure(BaseModel):
    subject: str = Field(description="who/what the figure is about: a place, an organisation or the counted entity")
    metric: str = Field(description="what is measured, from the figure's clause, e.g. 规模以上工业企业复工")
    figure: str = Field(default="", description="the figure as written, e.g. 300余万只")
    value: str = Field(description="the number as written, e.g. 300 in 300余万只")
    unit: str = Field(description="magnitude + measure word as written, e.g. 万只, 家, %")
    magnitude: str = ""
    qualifier: str = Field(default="", description="余/多/近/约/以上... as written")
    scaled_value: str = Field(description="exact decimal with the magnitude applied, e.g. 3000000")
    as_of: str | None = Field(default=None, description="the time point the text gives, e.g. 截至3月10日24时, 目前")
    period: str | None = Field(default=None, description="a span the text gives instead, e.g. 3月18日疫情发生以来")
    place: str = ""
    quote: str = Field(description="the figure's clause, exactly original[start:end]")
    start: int
    end: int
    article: int
    doc_id: str = ""


class DocumentSummary(BaseModel):
    doc_id: str
    title: str = ""
    mode: Literal["extractive", "llm"] = "extractive"
    notice: str | None = None
    summary: str = Field(default="", description="the bulletin summary as one text")
    articles: list[ArticleSummary] = Field(default_factory=list)
    key_figures: list[KeyFigure] = Field(default_factory=list)
    created_at: str | None = None
    sha256: str = ""
    prompt_version: str | None = Field(default=None, description="llm mode: the prompt templates used")


class DigestDocument(BaseModel):
    doc_id: str
    title: str = ""
    places: list[str] = Field(default_factory=list)
    dates: list[str] = Field(default_factory=list, description="ISO dates, or MM-DD where the bulletin gives no year")
    articles: int = 0
    key_figures: int = 0
    summary: str = ""


class DigestValue(BaseModel):
    figure: str = ""
    value: str
    unit: str
    qualifier: str = ""
    scaled_value: str = ""
    subject: str = ""
    metric: str = Field(default="", description="the row's own metric text: grouped rows are never merged")
    place: str = ""
    as_of: str | None = None
    period: str | None = None
    doc_id: str
    quote: str
    start: int
    end: int


class DigestMetric(BaseModel):
    metric: str = Field(description="normalised metric shared by the values, e.g. 企业复工 (家)")
    values: list[DigestValue] = Field(default_factory=list)


class Digest(BaseModel):
    documents: list[DigestDocument] = Field(default_factory=list)
    places: dict[str, list[str]] = Field(default_factory=dict)
    dates: dict[str, list[str]] = Field(default_factory=dict)
    metrics: list[DigestMetric] = Field(default_factory=list)
