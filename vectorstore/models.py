"""Domain records that flow from a file to the index."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Bulletin:
    """One ingested file. `original` is the decoded text every offset points into."""

    doc_id: str
    path: str
    original: str
    encoding: str
    sha256: str
    title: str = ""
    published: str | None = None  # ISO date when the bulletin states one with a year


@dataclass
class Article:
    """One news item inside a bulletin (a file may hold many: each "本报讯" starts one)."""

    doc_id: str
    index: int
    start: int  # offsets into Bulletin.original
    end: int
    text: str  # cleaned text of the article body
    title: str = ""
    reporter: str = ""
    published: str | None = None
    places: list[str] = field(default_factory=list)
    clean_start: int = 0  # offsets into the cleaned text of the bulletin
    clean_end: int = 0


@dataclass
class Chunk:
    """A retrieval unit: a run of whole sentences of one article."""

    chunk_id: str
    doc_id: str
    article: int
    text: str  # cleaned text
    start: int  # offsets into Bulletin.original: original[start:end] is the raw span
    end: int
    clean_start: int
    clean_end: int
    title: str = ""
    places: list[str] = field(default_factory=list)
    published: str | None = None
    tokens: int = 0

    def to_dict(self) -> dict:
        return asdict(self)
