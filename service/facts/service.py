"""A bulletin's figure facts as the API shows them (GET /documents/{doc_id}/figures)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from service.facts.model import FigureFact
from service.summaries.key_figures import key_facts

if TYPE_CHECKING:
    from service.engine import Engine


class FigureFactOut(BaseModel):
    figure: str = Field(description="the figure as written, e.g. 300余万只")
    kind: str = Field(description="number | percent | date | time | phone | year | ordinal | fraction | multiple")
    value: str | None = Field(description="exact decimal with the magnitude applied (None for date/time/phone)")
    unit: str = Field(description="measure word as written, without the magnitude")
    magnitude: str = Field(description="万/亿/… as written")
    qualifier: str = Field(description="余/多/近/约/以上… as written")
    bound: Literal["eq", "gt", "lt", "approx"]
    normalized: str = Field(description="comparable key, e.g. number:3000000:个, date:-3-10")
    metric: str = Field(description="what is measured; '' when its clause names none readable (not a key figure)")
    subject: str
    place: str = Field(description="canonical place; 全区/我县/该市 resolved to the article's own place")
    as_of: str | None
    period: str | None
    part: Literal["part", "total", ""] = Field(description="stated as a part (其中/已…) or a total (共/累计/全县…)")
    key: bool = Field(description="a row of the bulletin's key-figures table")
    article: int
    quote: str = Field(description="the figure's clause, exactly original[start:end]")
    start: int
    end: int


class DocumentFigures(BaseModel):
    doc_id: str
    figures: list[FigureFactOut]


def to_out(f: FigureFact, key: bool) -> FigureFactOut:
    fig = f.figure
    return FigureFactOut(
        figure=fig.text, kind=fig.kind, value=None if fig.value is None else format(fig.value.normalize(), "f"),
        unit=fig.unit, magnitude=fig.magnitude, qualifier=fig.qualifier, bound=fig.bound,
        normalized=fig.normalized, metric=f.metric, subject=f.subject, place=f.place, as_of=f.as_of,
        period=f.period, part=f.part, key=key, article=f.article, quote=f.quote, start=f.start, end=f.end,
    )


def document_figures(engine: Engine, doc_id: str, key_only: bool = False) -> DocumentFigures | None:
    """Every figure of the bulletin (or only its key figures), in text order; None: no such document."""
    facts = engine.facts(doc_id)
    if facts is None:
        return None
    keys = {id(f) for f in key_facts(facts.facts)}
    chosen = [f for f in facts.facts if id(f) in keys or not key_only]
    return DocumentFigures(doc_id=doc_id, figures=[to_out(f, id(f) in keys) for f in chosen])
