"""Summaries feature: make a bulletin's summary when it is ingested, keep it in the catalog keyed by the
bulletin's sha256 (so an unchanged bulletin costs one lookup and an Engine restart recomputes nothing),
serve it as JSON / Markdown / CSV, and digest the whole collection."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError

from service.facts.reading import HEAD_IN, PLACE_RE
from service.facts.store import load_facts
from service.summaries import extractive
from service.summaries.key_figures import key_figures
from service.summaries.models import (
    Digest,
    DigestDocument,
    DigestMetric,
    DigestValue,
    DocumentSummary,
    KeyFigure,
)
from vectorstore.cleaning import CleanText

if TYPE_CHECKING:
    from service.engine import Engine

log = logging.getLogger(__name__)

CSV_FIELDS = ["subject", "metric", "value", "unit", "qualifier", "as_of", "place", "quote", "start", "end", "doc_id"]
MODE_LABEL = {"extractive": "抽取式", "llm": "大模型"}


# --------------------------------------------------------------------------- making and keeping


def build_summary(engine: Engine, doc_id: str) -> DocumentSummary | None:
    """Compute a bulletin's summary (no cache). None if there is no complete document `doc_id`."""
    row = engine.catalog.document(doc_id)
    if row is None or row["status"] != "complete":
        return None
    # Read the catalog row, not engine.bulletin_text(): mid-ingest its cache may still hold the old text.
    original = row["original"]
    clean = CleanText(row["clean_text"], json.loads(row["clean_offsets"]))
    articles = engine.catalog.articles(doc_id)
    arts, text = extractive.summarize(original, clean, articles)
    summary = DocumentSummary(
        doc_id=doc_id, title=row["title"], summary=text, articles=arts,
        key_figures=key_figures(load_facts(engine.catalog, doc_id) or []),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"), sha256=row["sha256"],
    )
    if engine.settings.use_llm:
        from service.summaries import llm  # LangChain is imported only when a model is configured

        out = llm.summarize(engine.settings, row["title"], original, clean, articles, arts, text)
        summary.articles, summary.summary, summary.mode = out.articles, out.summary, out.mode
        summary.notice, summary.prompt_version = out.notice, out.prompt_version
    return summary


def ensure_summary(engine: Engine, doc_id: str) -> DocumentSummary | None:
    """The stored summary when it was made for the bulletin's current sha256, else a new one, stored.
    Called by ingest for every document: a failure is logged and leaves no summary (the next read
    tries again) instead of marking an indexed bulletin as failed."""
    try:
        return _ensure(engine, doc_id)
    except Exception:
        log.exception("could not summarise %s", doc_id)
        return None


def _ensure(engine: Engine, doc_id: str) -> DocumentSummary | None:
    row = engine.catalog.document(doc_id)
    if row is None or row["status"] != "complete":
        return None
    stored = engine.catalog.summary(doc_id)
    if stored is not None and stored.get("sha256") == row["sha256"]:
        try:
            return DocumentSummary.model_validate(stored)
        except ValidationError:
            log.info("stored summary of %s has an old shape; making it again", doc_id)
    summary = build_summary(engine, doc_id)
    if summary is None:
        return None
    engine.catalog.write_summary(doc_id, summary.sha256, summary.mode, summary.model_dump(mode="json"))
    return summary


def get_summary(engine: Engine, doc_id: str) -> DocumentSummary | None:
    """The bulletin's summary (made now if missing); None if there is no such document. Errors propagate
    here, so the API reports them."""
    return _ensure(engine, doc_id)


# --------------------------------------------------------------------------- digest

SYNONYMS = [("规上", "规模以上"), ("复工复产", "复工"), ("复工复业", "复工"), ("开工复工", "开工"), ("复产", "复工"),
            ("新型冠状病毒肺炎", ""), ("新冠肺炎", "")]
STATUS_ACTIONS = ("复工", "复业", "开工", "确诊")  # the status counts staff compare across bulletins
UNIT_CANON = {"名": "人", "位": "人", "只": "个", "枚": "个", "千克": "公斤"}


def metric_key(kf: KeyFigure) -> str:
    """Normalised metric for grouping across bulletins: places and synonyms folded; a status count
    (企业复工, 项目开工, 病例确诊) keyed by the counted thing + status, anything else by its exact words;
    plus the canonical unit, so 家 never meets 个 and 吨 never meets 万元."""
    m = kf.metric
    for a, b in SYNONYMS:
        m = m.replace(a, b)
    m = PLACE_RE.sub("", m)
    core = m
    heads = list(HEAD_IN.finditer(m))
    own_subject = kf.subject if kf.subject != kf.place else ""
    for act in STATUS_ACTIONS:
        at = m.find(act)
        if at < 0:
            continue
        head = next((h.group() for h in heads if h.start() < at or h.start() == at + len(act)), None)
        if head is None and m.startswith(act) and HEAD_IN.search(own_subject):
            head = HEAD_IN.findall(own_subject)[-1]  # 复工复产率 of 限额以上…企业
        if head:
            core = head + act + ("率" if m.endswith("率") else "")
            break
    unit = kf.unit[len(kf.magnitude):] if kf.unit != "%" else "%"
    return f"{core}（{UNIT_CANON.get(unit, unit)}）"


def _dates(summary: DocumentSummary, engine: Engine) -> list[str]:
    """ISO publication dates, else the date opening each article's lead (MM-DD: the bulletin gives no year)."""
    out: set[str] = set()
    for art in engine.catalog.articles(summary.doc_id):
        if art.published:
            out.add(art.published)
            continue
        lead = re.sub(r"^[^\n]*\n", "", art.text, count=1) if art.title and art.text.startswith(art.title) else art.text
        m = re.search(r"本报讯[^）)]*[）)]\s*(\d{1,2})月(\d{1,2})日", lead[:80])
        if m:
            out.add(f"{int(m.group(1)):02d}-{int(m.group(2)):02d}")
    return sorted(out)


def digest(engine: Engine) -> Digest:
    """What the collection covers, by place and date, and each metric reported with different values in
    different bulletins or places, listed side by side (never merged) with their dates and quotes."""
    docs: list[DigestDocument] = []
    groups: dict[str, list[DigestValue]] = {}
    for row in engine.catalog.documents():
        s = ensure_summary(engine, row["doc_id"])
        if s is None:
            continue
        docs.append(DigestDocument(
            doc_id=s.doc_id, title=s.title, places=json.loads(row["places"]), dates=_dates(s, engine),
            articles=len(s.articles), key_figures=len(s.key_figures), summary=s.summary[:160],
        ))
        seen: set[tuple] = set()
        for kf in s.key_figures:
            key = (kf.scaled_value, kf.unit, kf.place, kf.as_of, kf.period, kf.metric)
            if key in seen:
                continue
            seen.add(key)
            groups.setdefault(metric_key(kf), []).append(DigestValue(
                figure=kf.figure, value=kf.value, unit=kf.unit, qualifier=kf.qualifier, scaled_value=kf.scaled_value,
                subject=kf.subject, metric=kf.metric, place=kf.place, as_of=kf.as_of, period=kf.period,
                doc_id=kf.doc_id, quote=kf.quote, start=kf.start, end=kf.end,
            ))
    docs.sort(key=lambda d: (d.places[0] if d.places else "", d.dates[0] if d.dates else "", d.doc_id))
    places: dict[str, list[str]] = {}
    dates: dict[str, list[str]] = {}
    for d in docs:
        for p in d.places:
            places.setdefault(p, []).append(d.doc_id)
        for day in d.dates:
            dates.setdefault(day, []).append(d.doc_id)
    metrics = []
    for key, values in groups.items():
        sources = {(v.doc_id, v.place) for v in values}
        distinct = {(v.scaled_value, v.qualifier) for v in values}
        if len(sources) >= 2 and len(distinct) >= 2:
            values.sort(key=lambda v: (v.place, v.as_of or v.period or "", v.doc_id, v.start))
            metrics.append(DigestMetric(metric=key, values=values))
    metrics.sort(key=lambda m: (-len({v.doc_id for v in m.values}), -len(m.values), m.metric))
    return Digest(documents=docs, places=dict(sorted(places.items())), dates=dict(sorted(dates.items())),
                  metrics=metrics)


# --------------------------------------------------------------------------- rendering


def _cell(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("|", "｜")).strip()


def _when(as_of: str | None, period: str | None) -> str:
    return as_of or period or ""


def _figure(kf: KeyFigure | DigestValue) -> str:
    """The figure as written when we have it; else value + qualifier + unit (never drop 万/亿)."""
    if kf.figure:
        return kf.figure
    q = kf.qualifier
    prefix = q if q in ("近", "约", "超过", "超", "逾", "将近", "接近", "不足", "不到", "大约") else ""
    return f"{prefix}{kf.value}{'' if prefix else q}{kf.unit}"


def summary_markdown(s: DocumentSummary) -> str:
    lines = [f"# {s.title or s.doc_id}", "", f"`{s.doc_id}` · 摘要：{MODE_LABEL.get(s.mode, s.mode)}"]
    if s.notice:
        lines += ["", f"> 注意：{s.notice}"]
    lines += ["", "## 摘要", "", s.summary or "（无）", ""]
    for a in s.articles:
        if not a.sentences:
            continue
        lines.append(f"### 第{a.index + 1}篇{(' ' + a.title) if a.title else ''}")
        lines += [f"- {st.text}（原文 {st.start}–{st.end}）" for st in a.sentences]
        lines.append("")
    lines += ["## 关键数字", ""]
    if not s.key_figures:
        return "\n".join([*lines, "（无）", ""])
    lines += ["| 主体 | 指标 | 数字 | 时间 | 地点 | 原文（位置） |", "|---|---|---|---|---|---|"]
    for kf in s.key_figures:
        lines.append(f"| {_cell(kf.subject)} | {_cell(kf.metric)} | {_cell(_figure(kf))} | "
                     f"{_cell(_when(kf.as_of, kf.period))} | {_cell(kf.place)} | {_cell(kf.quote)}（{kf.start}–{kf.end}） |")
    return "\n".join([*lines, ""])


def summary_csv(s: DocumentSummary) -> str:
    """The key-figures table; `unit` carries the magnitude (万只) so value + unit is the figure."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for kf in s.key_figures:
        w.writerow([kf.subject, kf.metric, kf.value, kf.unit, kf.qualifier, _when(kf.as_of, kf.period), kf.place,
                    kf.quote, kf.start, kf.end, kf.doc_id or s.doc_id])
    return buf.getvalue()


def digest_markdown(d: Digest) -> str:
    lines = ["# 公报汇总", "", f"共 {len(d.documents)} 份公报。", "", "## 公报", "",
             "| 公报 | 标题 | 地点 | 日期 | 篇数 | 关键数字 |", "|---|---|---|---|---|---|"]
    for doc in d.documents:
        lines.append(f"| `{doc.doc_id}` | {_cell(doc.title)} | {'、'.join(doc.places)} | {'、'.join(doc.dates) or '—'} | "
                     f"{doc.articles} | {doc.key_figures} |")
    lines += ["", "## 按地点", ""] + [f"- {p}：{'、'.join(ids)}" for p, ids in d.places.items()]
    lines += ["", "## 按日期", ""] + [f"- {day}：{'、'.join(ids)}" for day, ids in d.dates.items()]
    lines += ["", "## 不同公报或地点报告的同一指标", "", "数值逐条列出，不合并；请按时间和地点分别引用。", ""]
    if not d.metrics:
        lines.append("（无）")
    for m in d.metrics:
        lines += [f"### {m.metric}", "", "| 数字 | 主体 | 指标原文 | 地点 | 时间 | 公报 | 原文 |", "|---|---|---|---|---|---|---|"]
        for v in m.values:
            lines.append(f"| {_cell(_figure(v))} | {_cell(v.subject)} | {_cell(v.metric)} | {_cell(v.place)} | "
                         f"{_cell(_when(v.as_of, v.period))} | `{v.doc_id}` | {_cell(v.quote)} |")
        lines.append("")
    return "\n".join([*lines, ""])
