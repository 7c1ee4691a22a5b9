"""Split a cleaned bulletin into articles and read their metadata. Pure functions.

A newspaper page holds many items, each starting "本报讯（记者…）". Where the headline sits depends on
how the page was extracted: some files print it before the item (web pages, markdown "#"), others
after the item's body (column text extracted body-first, as in 002 and 004). We decide per file: if
a headline-like paragraph directly precedes the first "本报讯", headlines lead; otherwise they trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vectorstore import places
from vectorstore.cleaning import BULLET, SENTENCE_END, TABLE_ROW, CleanText, is_meta_line

REPORTER = re.compile(r"本报讯\s*[（(]\s*(?:本报)?记者\s*([^）)]{2,20})[）)]|^本报记者\s*([\u4e00-\u9fff]{2,4})(?<!摄)\s*$", re.M)
# A byline alone on its line ("本报记者 郭树勤") opens a feature story that has no "本报讯".
BYLINE = re.compile(r"^本报记者\s*[\u4e00-\u9fff]{2,4}(?<!摄)$")  # not a photo credit "本报记者郭树勋摄"
CREDIT = re.compile(r"^(?:文/|图/)?本报(?:记者|通讯员)\s*\S{2,4}(?:\s*(?:摄|整理))?$")
DATE_WITH_YEAR = [
    re.compile(r"时间\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(?<!\d)(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
]
NAV = re.compile(r"^(首页|责任编辑|相关新闻|无相关信息|来源|时间)")
BREADCRUMB = re.compile(r"首页\s*[>＞›»]")


@dataclass
class Paragraph:
    start: int  # cleaned offsets
    end: int
    text: str


@dataclass
class ArticleSpan:
    index: int
    start: int  # cleaned offsets of the whole article (headline included)
    end: int
    title: str
    reporter: str
    published: str | None
    places: list[str]


def paragraphs(text: str) -> list[Paragraph]:
    out, pos = [], 0
    for para in text.split("\n"):
        if para.strip():
            out.append(Paragraph(pos, pos + len(para), para))
        pos += len(para) + 1
    return out


def is_headline(p: Paragraph) -> bool:
    t = p.text.strip()
    return (
        0 < len(t) <= 60
        and t[-1] not in SENTENCE_END + "：:"
        and not t.startswith("本报讯")
        and not NAV.match(t)
        and not re.fullmatch(r"[\d\s年月日:：-]+", t)
        and not BULLET.match(t)  # an item of the page's 导读 list, not the next article's headline
        and not TABLE_ROW.match(t)  # a menu bar or a table row
    )


def find_published(text: str) -> str | None:
    for pattern in DATE_WITH_YEAR:
        m = pattern.search(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def find_places(text: str) -> list[str]:
    """The places a text names (vectorstore.places: a gazetteer of divisions), in order of first mention."""
    return list(places.find_places(text))


NEWS_COLUMN = re.compile(r"简讯|短讯|快讯|简讯快递|新闻简讯|信息快递")


def split_articles(clean: CleanText) -> list[ArticleSpan]:
    text = clean.text
    paras = paragraphs(text)
    if not paras:
        return []
    # A page's 简讯 column ("简　讯" over "▲…" items) is an item of its own: its 全市 is the paper's city, not
    # the place of the item above it.
    starts = [i for i, p in enumerate(paras) if p.text.lstrip().startswith("本报讯") or BYLINE.match(p.text.strip())
              or (i > 0 and NEWS_COLUMN.fullmatch(re.sub(r"\s+", "", p.text)))]
    groups: list[tuple[int, int, list[int]]] = []  # (first para, last para, headline paras)
    if not starts:
        heads = [i for i, p in enumerate(paras[:6]) if is_headline(p) and not is_meta_line(p.text)]
        # A site's name and breadcrumb above the headline ("红河州卫生健康委员会首页>信息公开>疫情通报"): the
        # headline right under it is the title too.
        run = heads[:1]
        while run and len(run) < 2 and BREADCRUMB.search(paras[run[0]].text) and run[-1] + 1 in heads:
            run.append(run[-1] + 1)
        groups.append((0, len(paras) - 1, run))
    else:
        lead = starts[0] > 0 and is_headline(paras[starts[0] - 1])
        bounds: list[tuple[int, int, list[int]]] = []
        for n, s in enumerate(starts):
            nxt = starts[n + 1] if n + 1 < len(starts) else len(paras)
            # Headline block: the run of headline-like paragraphs just before the next "本报讯".
            k = nxt
            at_end = nxt >= len(paras)
            # At the end of a trailing-headline file the last item's headline closes the file.
            while (k - 1 > s and is_headline(paras[k - 1]) and not CREDIT.match(paras[k - 1].text.strip())
                   and (not at_end or not lead)):
                k -= 1
            block = list(range(k, nxt)) if not at_end or not lead else []
            bounds.append((s, nxt - 1, block))
        if lead:
            # Each block belongs to the article after it.
            first = starts[0]
            k = first
            while k - 1 >= 0 and is_headline(paras[k - 1]):
                k -= 1
            pre_block = list(range(k, first))
            if k > 0:
                groups.append((0, k - 1, []))
            prev_block = pre_block
            for s, e, block in bounds:
                body_end = block[0] - 1 if block else e
                groups.append((prev_block[0] if prev_block else s, body_end, prev_block))
                prev_block = block
        else:
            if starts[0] > 0:
                groups.append((0, starts[0] - 1, []))
            for s, e, block in bounds:
                groups.append((s, e, block))
    spans: list[ArticleSpan] = []
    for first, last, heads in groups:
        start, end = paras[first].start, paras[last].end
        body = text[start:end]
        title = " ".join(paras[i].text.strip() for i in heads)
        m = REPORTER.search(body)
        spans.append(
            ArticleSpan(
                index=len(spans),
                start=start,
                end=end,
                title=title,
                reporter=(m.group(1) or m.group(2)).strip() if m else "",
                published=find_published(body),
                places=places.by_frequency(body),
            )
        )
    return spans
