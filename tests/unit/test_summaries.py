"""Bulletin summaries made on ingest (issue 4): extractive sentences are verbatim, cited spans of the
source; every figure in a summary is grounded; key-figure rows quote the source; summaries follow the
bulletin's sha256, survive a restart and feed the cross-bulletin digest.

One index per module (seed 004 plus a short bulletin made of sentences from seed 000), because
embedding a seed takes tens of seconds on a small machine."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from service.engine import Engine
from service.figures import ungrounded
from service.settings import Settings
from service.summaries import service as summaries
from service.summaries.extractive import ARTICLE_MAX, DOCUMENT_MAX, bigrams
from service.summaries.service import (
    CSV_FIELDS,
    digest,
    digest_markdown,
    ensure_summary,
    get_summary,
    summary_csv,
    summary_markdown,
)
from vectorstore.cleaning import squash

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = SEEDS / "004_442700f1404d18b4.txt"
# Sentences of seed 000 (the 示范区 press conference), as a short bulletin of its own.
SHORT = """示范区疫情防控和复工复产情况

本报讯（记者郭树勋）截至3月10日24时，全区确诊1例新冠肺炎病例，于2月3日治愈出院，已连续1个月没有新增确诊及疑似病例，疫情防控取得阶段性成果；经济社会秩序恢复，70家规模以上工业企业全部复工，各领域复工复产复业面正在有序扩大。

目前，全区89家限额以上批零餐、房地产和重点服务业企业已复工复产86家，复工复产率达96.6%。目前，累计生产口罩300余万只，为全市防疫工作作出了贡献。
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    root = tmp_path_factory.mktemp("summaries")
    short = root / "files" / "900_short.txt"
    short.parent.mkdir()
    short.write_text(SHORT, encoding="utf-8")
    eng = Engine(Settings(data_dir=root / "data", answerer="extractive"))
    report = eng.ingest([SEED, short], progress=False)
    assert not report.failed, report.failed
    return eng


@pytest.fixture(scope="module")
def doc_id(engine: Engine) -> str:
    return SEED.stem


def all_summaries(engine: Engine):
    return [get_summary(engine, row["doc_id"]) for row in engine.catalog.documents()]


def test_made_and_stored_on_ingest(engine: Engine, doc_id: str) -> None:
    stored = engine.catalog.summary(doc_id)
    assert stored is not None, "ingest must store the summary"
    assert stored["sha256"] == engine.catalog.document(doc_id)["sha256"]
    s = get_summary(engine, doc_id)
    assert s.mode == "extractive" and s.notice is None and s.sha256 == stored["sha256"]
    assert len(s.articles) == len(engine.catalog.articles(doc_id)) and s.summary


def test_sentences_are_verbatim_cited_spans(engine: Engine) -> None:
    for s in all_summaries(engine):
        original, clean, _ = engine.bulletin_text(s.doc_id)
        arts = {a.index: a for a in engine.catalog.articles(s.doc_id)}
        for a in s.articles:
            for st in a.sentences:
                assert original[st.start : st.end] == st.quote
                assert squash(st.quote) == squash(st.text)
                assert st.text in arts[st.article].text, "the cleaned sentence comes from its own article"


def test_lengths_order_and_no_repeats(engine: Engine) -> None:
    for s in all_summaries(engine):
        for a in s.articles:
            starts = [st.start for st in a.sentences]
            assert starts == sorted(starts), "kept in document order"
            if len(a.sentences) > 1:
                assert sum(len(st.text) for st in a.sentences) <= ARTICLE_MAX
            for i, x in enumerate(a.sentences):
                for y in a.sentences[i + 1 :]:
                    shared = len(bigrams(x.text) & bigrams(y.text))
                    assert shared / (len(bigrams(x.text) | bigrams(y.text)) or 1) < 0.5
        if len(s.articles) > 1:
            assert len(s.summary) <= DOCUMENT_MAX
        texts = [st.text for a in s.articles for st in a.sentences]
        rest = s.summary
        while rest:  # the bulletin summary is made of the article summaries' sentences, nothing else
            head = next((t for t in texts if rest.startswith(t)), None)
            assert head, f"{s.doc_id}: unexpected text {rest[:30]!r}"
            rest = rest[len(head) :]


def test_boilerplate_is_skipped(engine: Engine) -> None:
    for s in all_summaries(engine):
        for a in s.articles:
            for st in a.sentences:
                assert not st.text.startswith(("本报讯", "首页")), st.text
                assert "责任编辑" not in st.text and not st.text.rstrip("。").endswith("摄")
                assert not st.text.endswith(("？", "?"))


def test_every_summary_figure_is_grounded(engine: Engine) -> None:
    for s in all_summaries(engine):
        quotes = [st.quote for a in s.articles for st in a.sentences]
        for a in s.articles:
            for st in a.sentences:
                assert ungrounded(st.text, [st.quote]) == []
        assert ungrounded(s.summary, quotes) == [], "the bulletin summary states only cited figures"


def test_key_figure_rows_quote_the_source(engine: Engine, doc_id: str) -> None:
    s = get_summary(engine, doc_id)
    original, _, _ = engine.bulletin_text(doc_id)
    assert len(s.key_figures) >= 10
    for kf in s.key_figures:
        assert original[kf.start : kf.end] == kf.quote
        assert kf.value in squash(kf.quote) and kf.figure in squash(kf.quote)
        assert kf.doc_id == doc_id and kf.metric and kf.place
    rows = {(kf.place, kf.figure, kf.as_of) for kf in s.key_figures}
    assert ("示范区", "40家", "截至昨日12时") in rows
    assert ("焦作市", "236家", "目前") in rows


def test_unchanged_reingest_is_a_cheap_no_op(engine: Engine, doc_id: str, monkeypatch) -> None:
    before = engine.catalog.summary(doc_id)

    def boom(*args, **kwargs):
        raise AssertionError("an unchanged bulletin must not be summarised again")

    monkeypatch.setattr(summaries, "build_summary", boom)
    report = engine.ingest([SEED], progress=False)
    assert report.unchanged == [doc_id] and not report.failed
    assert engine.catalog.summary(doc_id) == before


def test_restart_reads_the_summary_back(engine: Engine, doc_id: str, monkeypatch) -> None:
    before = get_summary(engine, doc_id)
    monkeypatch.setattr(summaries, "build_summary", lambda *a, **k: pytest.fail("recomputed after restart"))
    again = get_summary(Engine(engine.settings), doc_id)
    assert again == before


def test_unknown_document() -> None:
    class NoDocs:
        class catalog:  # noqa: N801 - a stand-in for Engine.catalog
            @staticmethod
            def document(doc_id):
                return None

    assert get_summary(NoDocs(), "nope") is None and ensure_summary(NoDocs(), "nope") is None


def test_changed_bulletin_gets_a_new_summary(tmp_path: Path) -> None:
    path = tmp_path / "900_short.txt"
    path.write_text(SHORT, encoding="utf-8")
    eng = Engine(Settings(data_dir=tmp_path / "data", answerer="extractive"))
    eng.ingest([path], progress=False)
    first = get_summary(eng, path.stem)
    assert "70家" in {kf.figure for kf in first.key_figures}
    path.write_text(SHORT.replace("70家规模以上工业企业", "72家规模以上工业企业"), encoding="utf-8")
    report = eng.ingest([path], progress=False)
    assert report.updated == [path.stem]
    second = eng.catalog.summary(path.stem)  # stored by ingest, not made on read
    assert second["sha256"] != first.sha256
    assert second["sha256"] == eng.catalog.document(path.stem)["sha256"]
    figures = {kf["figure"] for kf in second["key_figures"]}
    assert "72家" in figures and "70家" not in figures
    assert "72家" in second["summary"] and "70家" not in second["summary"]


def test_markdown_and_csv(engine: Engine, doc_id: str) -> None:
    s = get_summary(engine, doc_id)
    md = summary_markdown(s)
    assert md.startswith(f"# {s.title}") and "## 关键数字" in md and "40家" in md
    table = list(csv.reader(io.StringIO(summary_csv(s))))
    assert table[0] == CSV_FIELDS
    assert len(table) == len(s.key_figures) + 1
    for row, kf in zip(table[1:], s.key_figures, strict=True):
        record = dict(zip(CSV_FIELDS, row, strict=True))
        assert record["quote"] == kf.quote and int(record["start"]) == kf.start and record["doc_id"] == doc_id
        assert record["value"] + record["unit"] in squash(kf.quote) or record["qualifier"]


def test_digest_lists_the_same_metric_side_by_side(engine: Engine) -> None:
    d = digest(engine)
    ids = {doc.doc_id for doc in d.documents}
    assert ids == {SEED.stem, "900_short"}
    assert SEED.stem in d.places["示范区"] and SEED.stem in d.places["焦作市"]
    resumed = next(m for m in d.metrics if m.metric == "企业复工（家）")
    seen = {(v.doc_id, v.figure, v.as_of) for v in resumed.values}
    assert (SEED.stem, "40家", "截至昨日12时") in seen
    assert ("900_short", "70家", "截至3月10日24时") in seen, "never merged: each value keeps its date and quote"
    for m in d.metrics:
        assert len({(v.doc_id, v.place) for v in m.values}) >= 2
        assert len({v.scaled_value for v in m.values}) >= 2
    md = digest_markdown(d)
    assert "企业复工（家）" in md and "截至昨日12时" in md and "截至3月10日24时" in md


def test_summaries_of_every_seed_are_sound_without_an_index() -> None:
    """The same checks on all five seeds, straight from the pipeline (no embeddings)."""
    from service.summaries.extractive import summarize
    from vectorstore.pipeline import process

    for path in sorted(SEEDS.glob("*.txt")):
        original = path.read_text(encoding="utf-8")
        p = process(path.stem, original)
        arts, text = summarize(original, p.clean, p.articles)
        quotes = [st.quote for a in arts for st in a.sentences]
        assert text and quotes, path.name
        assert all(original[st.start : st.end] == st.quote for a in arts for st in a.sentences)
        assert ungrounded(text, quotes) == []
