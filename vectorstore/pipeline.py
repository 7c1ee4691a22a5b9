"""File text -> cleaned text -> articles -> chunks. Pure: no I/O, no index."""

from __future__ import annotations

from dataclasses import dataclass

from vectorstore.articles import find_places, find_published, split_articles
from vectorstore.chunking import chunk_spans
from vectorstore.cleaning import CleanText, clean
from vectorstore.models import Article, Chunk
from vectorstore.tokens import count_tokens

CITIES = ("定州", "焦作市")  # what "我市"/"全市" refers to, by the city a bulletin names
BROAD = {"焦作市", "河南省", "河北省", "湖北", "武汉"}


def subject_place(title: str, body: str, city: str | None) -> str | None:
    """The place an article is about: the most specific place in its headline, else "我市" -> the city,
    else the place named most often. "全区/我区" in the body then refers to it."""
    in_title = find_places(title)
    specific = [p for p in in_title if p not in BROAD]
    if specific or in_title:
        return (specific or in_title)[0]
    if city and body.count("我市") + body.count("全市") >= 2:
        return city
    counts = {p: body.count(p) for p in find_places(body)}
    return max(counts, key=lambda p: counts[p]) if counts else city


@dataclass
class Processed:
    clean: CleanText
    title: str
    published: str | None
    places: list[str]
    articles: list[Article]
    chunks: list[Chunk]


def bulletin_city(text: str) -> str | None:
    counts = {c: text.count(c) + (text.count("焦作") if c == "焦作市" else 0) for c in CITIES}
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else None


def process(doc_id: str, original: str, chunk_tokens: int = 160, overlap: int = 1) -> Processed:
    ct = clean(original)
    city = bulletin_city(ct.text)
    title_hint = ct.text[:200]
    doc_published = find_published(ct.text)
    articles: list[Article] = []
    chunks: list[Chunk] = []
    spans = split_articles(ct)
    for span in spans:
        body = ct.text[span.start : span.end]
        places = list(span.places)
        if city and city not in places and ("我市" in body or "全市" in body):
            places.append(city)
        subject = subject_place(span.title or (title_hint if len(spans) == 1 else ""), body, city)
        if subject:
            # places[0] is the article's subject place (what 全区/我区 means in it).
            places = [subject] + [p for p in places if p != subject]
        start, end = ct.to_original(span.start, span.end)
        art = Article(
            doc_id=doc_id, index=span.index, start=start, end=end, text=body, title=span.title,
            reporter=span.reporter, published=span.published or doc_published, places=places,
            clean_start=span.start, clean_end=span.end,
        )
        articles.append(art)
        for n, (cs, ce) in enumerate(chunk_spans(ct.text, span.start, span.end, chunk_tokens, overlap)):
            os_, oe = ct.to_original(cs, ce)
            text = ct.text[cs:ce]
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}:{span.index}:{n}", doc_id=doc_id, article=span.index, text=text,
                    start=os_, end=oe, clean_start=cs, clean_end=ce, title=span.title, places=places,
                    published=art.published, tokens=count_tokens(text),
                )
            )
    title = next((a.title for a in articles if a.title), "")
    all_places = []
    for a in articles:
        all_places += [p for p in a.places if p not in all_places]
    return Processed(ct, title, doc_published, all_places or find_places(ct.text), articles, chunks)
