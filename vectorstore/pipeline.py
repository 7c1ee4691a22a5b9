"""File text -> cleaned text -> articles -> chunks. Pure: no I/O, no index."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from vectorstore import places as gz
from vectorstore.articles import find_places, find_published, split_articles
from vectorstore.chunking import chunk_spans
from vectorstore.cleaning import CleanText, clean
from vectorstore.models import Article, Chunk
from vectorstore.tokens import count_tokens

CITY_REFS = ("我市", "全市", "本市")
TITLE_WEIGHT = 3  # a place in the opening lines counts as three mentions
MEDIA_AFTER = re.compile(r"日报|晚报|新闻网|发布|融媒|电视台|广播电视台|市人民政府|市政府")
ELSEWHERE_BEFORE = re.compile(r"(?:销往|运往|发往|运抵|支援|驰援|援助|来自|赴|前往|返回|接回)"
                              r"(?:[\u4e00-\u9fff]{2,6}[、和])*[^，。；\n、]?$")


def subject_place(title: str, body: str, city: str | None, county: str | None = None) -> str | None:
    """The place an article is about: the most specific place in its headline, else "我市" -> the city,
    else a county paper's county, else the place named most often. "全区/我区" in the body then refers to it."""
    in_title = find_places(title)
    specific = [p for p in in_title if not gz.is_broad(p)]
    if specific or in_title:
        return (specific or in_title)[0]
    if city and sum(body.count(w) for w in CITY_REFS) >= 2:
        return city
    if county:
        return county  # "东屏镇：…主要前往浙江、江苏、山东等地务工" in 今日镇赉 is 镇赉's item, not 浙江's
    named = gz.by_frequency(body)
    return named[0] if named else city


@dataclass
class Processed:
    clean: CleanText
    title: str
    published: str | None
    places: list[str]
    articles: list[Article]
    chunks: list[Chunk]


def bulletin_city(text: str, head: str = "") -> str | None:
    """What 我市/全市 means in a bulletin: the city it names most (in its opening lines thrice). A county-level
    city whose prefecture is named too is the prefecture's (焦作日报 on 孟州 still says 我市 of 焦作)."""
    # A masthead or headline on the first line ("靖江日报", "首页 > 定州要闻") names the paper's own city, even
    # when the body names its prefecture (泰州) more often.
    first_line = next((line for line in head.splitlines() if line.strip()), "")
    masthead = [name for name in gz.find_places(first_line) if gz.is_city(name)]
    # "大同日报数字报": a paper or portal named by its city's short name, even one that is also a word (大同).
    masthead += [m.place.name for m in gz.gazetteer().mentions(first_line, loose=True)
                 if gz.is_city(m.place.name) and MEDIA_AFTER.match(first_line, m.end)]
    if masthead:
        return masthead[0]
    # A place named only as where goods go or people come from ("销往北京、天津") is not the bulletin's.
    counts = Counter(m.place.name for m in gz.gazetteer().mentions(text)
                     if gz.is_city(m.place.name) and not ELSEWHERE_BEFORE.search(text, max(0, m.start - 24), m.start))
    for name in gz.find_places(head):
        if name in counts:
            counts[name] += TITLE_WEIGHT
    for name in list(counts):
        p = gz.place(name)
        if p is not None and any(parent in counts for parent in p.parents):
            del counts[name]
    return counts.most_common(1)[0][0] if counts else None




def bulletin_county(head: str) -> str | None:
    """The county a county paper's masthead names by its short name ("今日镇赉": 镇赉县), so that its 我县/全县
    mean that county; None without one. Only the first line: a short county name is no name in running text."""
    first_line = next((line for line in head.splitlines() if line.strip()), "")
    for m in gz.gazetteer().mentions(first_line, loose=True):
        # "今日镇赉", "镇赉报", "镇赉融媒": a masthead, as bulletin_city reads a city's
        if m.place.level == gz.COUNTY and m.place.name.endswith(("县", "旗")) and (
                first_line[: m.start].endswith("今日") or first_line.startswith("报", m.end)
                or MEDIA_AFTER.match(first_line, m.end)):
            return m.place.name
    return None


def resolved_references(body: str, places: list[str]) -> list[str]:
    """The places 全县/该区/本市… in an article stand for (its subject first in `places`)."""
    out = []
    for word in dict.fromkeys(gz.references(body)):
        name = gz.resolve_reference(word, places)
        if name and name not in out:
            out.append(name)
    return out


def process(doc_id: str, original: str, chunk_tokens: int = 160, overlap: int = 1) -> Processed:
    ct = clean(original)
    title_hint = ct.text[:200]
    city = bulletin_city(ct.text, title_hint)
    county = bulletin_county(title_hint)
    doc_published = find_published(ct.text)
    articles: list[Article] = []
    chunks: list[Chunk] = []
    spans = split_articles(ct)
    for span in spans:
        body = ct.text[span.start : span.end]
        places = list(span.places)
        if city and city not in places and any(w in body for w in CITY_REFS):
            places.append(city)
        if county and county not in places:
            places.insert(0, county)  # a county paper's items are its county's: what their 全县 means
        subject = subject_place(span.title or (title_hint if len(spans) == 1 else ""), body, city, county)
        if subject:
            # places[0] is the article's subject place (what 全区/我区 means in it).
            places = [subject] + [p for p in places if p != subject]
        places += [p for p in resolved_references(body, places) if p not in places]
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
