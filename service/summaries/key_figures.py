"""Key-figures table of a bulletin: a selection of its figure facts (service.facts), one row per fact
whose metric could be read, rendered as (subject, metric, value, unit, qualifier, as-of, place, quote)
rows. The reading itself (metric, place, time, quote) is done once at ingest, in service.facts.reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from service.facts.model import FigureFact
from service.figures import Figure
from service.summaries.models import KeyFigure


def number_as_written(fig: Figure) -> str:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", fig.text)
    return m.group() if m else fig.text


def scaled(fig: Figure) -> str:
    s = format(fig.value.normalize(), "f") if fig.value is not None else ""
    return s.rstrip("0").rstrip(".") if "." in s else s


def key_facts(facts: Iterable[FigureFact]) -> list[FigureFact]:
    """The facts that make rows: a readable metric, once per sentence (a sentence stating the same figure
    of the same metric, place and time twice gives one row)."""
    seen: set[tuple] = set()
    out = []
    for f in facts:
        if not f.key:
            continue
        k = (f.sentence, f.place, f.subject, f.metric, f.figure.normalized, f.as_of, f.period)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def to_model(f: FigureFact) -> KeyFigure:
    fig = f.figure
    return KeyFigure(
        subject=f.subject, metric=f.metric, figure=re.sub(r"\s+", "", fig.text), value=number_as_written(fig),
        unit="%" if fig.kind == "percent" else fig.magnitude + fig.unit, magnitude=fig.magnitude,
        qualifier=fig.qualifier, scaled_value=scaled(fig), as_of=f.as_of, period=f.period, place=f.place,
        quote=f.quote, start=f.start, end=f.end, article=f.article, doc_id=f.doc_id,
    )


def key_figures(facts: Iterable[FigureFact]) -> list[KeyFigure]:
    """All key-figure rows of a bulletin's facts, in document order."""
    return [to_model(f) for f in key_facts(facts)]
