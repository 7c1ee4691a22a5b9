"""FigureFact: one figure of a bulletin as read once, at ingest, for answers and key-figure tables alike.

Offsets: `figure`, `sentence` and `clause` are in the bulletin's cleaned text (what chunks and passages
index); `start`/`end` are the clause's offsets in the ORIGINAL text, as citations give them, so
`original[start:end] == quote`. A fact is stored flat in the catalog (vectorstore.catalog.FACT_COLUMNS):
`to_row` / `from_row` are the only two places that know that layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from service.figures import Figure


@dataclass(frozen=True)
class FigureFact:
    doc_id: str
    article: int  # Article.index
    figure: Figure  # value, unit, magnitude and qualifier as written; offsets into the cleaned text
    metric: str  # what is measured (规模以上工业企业复工); "" when its clause names none readable
    subject: str  # who/what it is about: an organisation, the counted thing, else the place
    counted: str  # the thing a count counts (70家[规模以上工业企业]), "" if none
    place: str  # canonical place (全区/我县/该市 resolved to the article's own); unresolved words stay
    as_of: str | None  # the time point the text gives (截至3月10日24时, 目前, 2020-02-26（发布日）)
    period: str | None  # a span it gives instead (2月份, 疫情发生以来)
    sentence: tuple[int, int]  # cleaned offsets of the figure's sentence
    clause: tuple[int, int]  # cleaned offsets of the clause quoted for it
    start: int  # original offsets of that clause: quote == original[start:end]
    end: int
    quote: str
    part: str = ""  # "part" (其中/已…), "total" (共/累计/全县…) or "": how a count is stated (reading.figure_part)

    @property
    def key(self) -> bool:
        """A figure whose metric could be read: a key-figure row (service.summaries.key_figures)."""
        return bool(self.metric)

    def to_row(self, seq: int) -> dict[str, Any]:
        f = self.figure
        return {
            "doc_id": self.doc_id, "seq": seq, "article": self.article, "kind": f.kind, "figure": f.text,
            "clean_start": f.start, "clean_end": f.end, "value": None if f.value is None else str(f.value),
            "unit": f.unit, "magnitude": f.magnitude, "qualifier": f.qualifier, "bound": f.bound,
            "normalized": f.normalized, "metric": self.metric, "subject": self.subject, "counted": self.counted,
            "place": self.place, "as_of": self.as_of, "period": self.period, "sentence_start": self.sentence[0],
            "sentence_end": self.sentence[1], "clause_start": self.clause[0], "clause_end": self.clause[1],
            "start": self.start, "end": self.end, "quote": self.quote, "part": self.part,
        }

    @classmethod
    def from_row(cls, r: Mapping[str, Any]) -> FigureFact:
        fig = Figure(
            text=r["figure"], start=r["clean_start"], end=r["clean_end"], kind=r["kind"],
            value=None if r["value"] is None else Decimal(r["value"]), unit=r["unit"], magnitude=r["magnitude"],
            qualifier=r["qualifier"], bound=r["bound"], normalized=r["normalized"],
        )
        return cls(
            doc_id=r["doc_id"], article=r["article"], figure=fig, metric=r["metric"], subject=r["subject"],
            counted=r["counted"], place=r["place"], as_of=r["as_of"], period=r["period"],
            sentence=(r["sentence_start"], r["sentence_end"]), clause=(r["clause_start"], r["clause_end"]),
            start=r["start"], end=r["end"], quote=r["quote"], part=r["part"],
        )
