"""The figure-fact layer (service.facts): the builder on real sentences of the seeds, the catalog rows, and
the facts kept through ingest (stored, replaced, removed, idempotent, built lazily for old catalogs).
No embedding: ingest runs against an in-memory stand-in for the vector store."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path

import pytest

from service.facts import store as fact_store
from service.facts.model import FigureFact
from service.facts.reading import build_facts
from service.facts.store import BUILDER, DocumentFacts, load_facts
from service.intent import figures_of
from service.summaries.key_figures import key_figures
from vectorstore.catalog import Catalog
from vectorstore.chunking import clause_spans
from vectorstore.cleaning import split_sentences
from vectorstore.ingest import Ingestor
from vectorstore.pipeline import Processed, process

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@cache
def seed(name: str) -> tuple[str, Processed, tuple[FigureFact, ...]]:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    text = path.read_text(encoding="utf-8")
    p = process(path.stem, text)
    return text, p, tuple(build_facts(path.stem, text, p.clean, p.articles))


def facts_at(name: str, needle: str) -> list[FigureFact]:
    """The facts of the seed's sentence that contains `needle`."""
    _, p, facts = seed(name)
    at = p.clean.text.index(needle)
    return [f for f in facts if f.sentence[0] <= at < f.sentence[1]]


def by_figure(facts: list[FigureFact]) -> dict[str, FigureFact]:
    return {f.figure.text: f for f in facts}


# --------------------------------------------------------------------------- the builder


def test_total_and_its_parts_with_the_as_of_and_the_county_of_quanxian() -> None:
    # 001, an article on 修武县: 全县 is 修武县; 截至… dates every figure after it.
    got = by_figure(facts_at("001", "全县共集中隔离3558人"))
    total, inside = got["3558人"], got["1673人"]
    assert (total.metric, total.place, total.as_of, total.part) == ("集中隔离", "修武县", "截至3月27日12时", "total")
    assert (inside.place, inside.as_of, inside.part) == ("修武县", "截至3月27日12时", "part")
    assert inside.quote.startswith("其中县内集中隔离1673人")
    assert got["3月27日"].figure.kind == "date" and not got["3月27日"].key  # a date is a fact, not a key figure


def test_ji_and_qizhong_parts_of_a_city_count() -> None:
    got = by_figure(facts_at("003", "全市共有208家企业复工复产"))  # 定州: 全市 is 定州市
    assert (got["208家"].place, got["208家"].part, got["208家"].as_of) == ("定州市", "total", "目前")
    assert (got["62家"].metric, got["62家"].part) == ("规上工业企业", "part")
    got = by_figure(facts_at("000", "已开工25个"))
    assert (got["25个"].subject, got["25个"].metric, got["25个"].part) == ("梳理拟争取上级政策性资金项目", "开工", "part")


def test_quanqu_is_the_zone_and_the_publication_date_when_no_time_is_given() -> None:
    got = by_figure(facts_at("000", "全区确诊1例"))
    assert (got["1例"].place, got["1例"].as_of, got["1例"].metric) == ("示范区", "截至3月10日24时", "确诊新冠肺炎病例")
    got = by_figure(facts_at("000", "已开工25个"))
    assert got["85个"].as_of == "2020-03-11（发布日）" and got["85个"].place == "示范区"


def test_period_and_a_date_range_that_keeps_its_month() -> None:
    got = by_figure(facts_at("001", "医疗废物累计产生量65.414吨"))
    assert (got["65.414吨"].period, got["65.414吨"].place) == ("3月18日疫情发生以来", "焦作市")
    got = facts_at("004", "11.85")
    dates = [f.figure.normalized for f in got if f.figure.kind == "date"]
    assert dates == ["date:-2-13", "date:-2-14"]  # a clause-by-clause parse lost the month of "14日"


def test_every_figure_has_a_fact_with_offsets_citations_use() -> None:
    """Dates, phones and durations too (answers need them); key-figure rows are the facts with a metric."""
    for name in ("000", "001", "002", "003", "004"):
        text, p, facts = seed(name)
        assert facts and any(f.figure.kind == "date" for f in facts)
        for f in facts:
            assert p.clean.text[f.figure.start : f.figure.end] == f.figure.text
            assert f.clause[0] <= f.figure.start and f.figure.end <= f.clause[1] <= f.sentence[1]
            assert text[f.start : f.end] == f.quote
            assert f.place and (f.as_of or f.period or p.articles[f.article].published is None)
        assert len(key_figures(facts)) <= sum(f.key for f in facts)


def test_answer_clauses_read_the_same_figures_as_a_parse_of_the_clause() -> None:
    """The answerer takes a clause's figures from the facts; on 000 they are what parsing the clause gives."""
    _, p, facts = seed("000")
    index, text = DocumentFacts(list(facts)), p.clean.text
    for s, e in split_sentences(text):
        for cs, ce in clause_spans(text, s, e):
            assert index.figures(cs, ce) == figures_of(text[cs:ce]), text[cs:ce]


def test_row_round_trip() -> None:
    for f in seed("002")[2]:
        assert FigureFact.from_row(f.to_row(0)) == f


# --------------------------------------------------------------------------- catalog and ingest


class FakeStore:
    """The vector store, without vectors: ingest's bookkeeping only."""

    def __init__(self) -> None:
        self.docs: set[str] = set()

    def delete_document(self, doc_id: str) -> None:
        self.docs.discard(doc_id)

    def add(self, chunks) -> None:
        self.docs |= {c.doc_id for c in chunks}

    def doc_ids(self) -> set[str]:
        return set(self.docs)


def ingestor(data: Path, facts=BUILDER) -> Ingestor:
    return Ingestor(Catalog(data / "catalog.sqlite3"), FakeStore(), facts=facts)  # type: ignore[arg-type]


def rows(catalog: Catalog, doc_id: str) -> list[tuple]:
    return [tuple(r) for r in catalog.facts(doc_id)]


def test_facts_are_stored_at_ingest_replaced_and_removed_with_the_document(tmp_path: Path) -> None:
    src = tmp_path / "b.txt"
    src.write_text("截至3月10日24时，全区确诊1例新冠肺炎病例。全市共有208家企业复工复产。\n", encoding="utf-8")
    ing = ingestor(tmp_path)
    assert ing.ingest([src], progress=False).added == ["b"]
    stored = rows(ing.catalog, "b")
    assert [r["figure"] for r in ing.catalog.facts("b")] == ["3月10日", "24时", "1例", "208家"]
    assert ing.catalog.fact_set("b")["version"] == BUILDER.version
    built_at = ing.catalog.fact_set("b")["built_at"]

    assert ing.ingest([src], progress=False).unchanged == ["b"]  # idempotent: nothing rewritten
    assert rows(ing.catalog, "b") == stored and ing.catalog.fact_set("b")["built_at"] == built_at

    src.write_text("全市共有300家企业复工复产。\n", encoding="utf-8")
    assert ing.ingest([src], progress=False).updated == ["b"]
    assert [r["figure"] for r in ing.catalog.facts("b")] == ["300家"]

    assert ing.remove("b")
    assert ing.catalog.facts("b") == [] and ing.catalog.fact_set("b") is None


OLD_SCHEMA_TABLES = ("documents", "articles", "chunks", "summaries", "meta")


def test_a_catalog_from_before_the_table_gets_facts_on_first_read_and_on_the_next_ingest(tmp_path: Path) -> None:
    src = tmp_path / "b.txt"
    src.write_text("截至目前，全县累计进行核酸检测167.78万份。\n", encoding="utf-8")
    ingestor(tmp_path, facts=None).ingest([src], progress=False)
    path = tmp_path / "catalog.sqlite3"
    with closing(sqlite3.connect(path)) as c:  # as an older version left it: no fact tables at all
        c.executescript("DROP TABLE figure_facts; DROP TABLE fact_sets;")
        assert {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")} == set(OLD_SCHEMA_TABLES)

    catalog = Catalog(path)  # opening it adds the tables, empty
    assert catalog.fact_set("b") is None and catalog.facts("b") == []
    facts = load_facts(catalog, "b")  # lazily: built from the stored text, and stored
    assert [f.figure.text for f in facts] == ["167.78万份"] and facts[0].as_of == "截至目前"
    assert catalog.fact_set("b")["version"] == BUILDER.version
    assert [FigureFact.from_row(r) for r in catalog.facts("b")] == facts

    catalog.write_facts("b", catalog.document("b")["sha256"], BUILDER("b", "", *_nothing()))  # emptied...
    with catalog.transaction() as c:
        c.execute("UPDATE fact_sets SET version='old'")  # ...by an older builder
    ing = Ingestor(catalog, FakeStore(), facts=BUILDER)  # type: ignore[arg-type]
    assert ing.ingest([src], progress=False).unchanged == ["b"]  # the next ingest rebuilds stale facts
    assert [r["figure"] for r in catalog.facts("b")] == ["167.78万份"]


def _nothing():
    from vectorstore.cleaning import CleanText

    return CleanText("", []), []


def test_stale_facts_are_rebuilt_on_read_and_never_written_over_a_newer_document(tmp_path: Path,
                                                                                 monkeypatch) -> None:
    src = tmp_path / "b.txt"
    src.write_text("全市共有208家企业复工复产。\n", encoding="utf-8")
    ing = ingestor(tmp_path)
    ing.ingest([src], progress=False)
    monkeypatch.setattr(fact_store.BUILDER, "version", "next")
    assert [f.figure.text for f in load_facts(ing.catalog, "b")] == ["208家"]
    assert ing.catalog.fact_set("b")["version"] == "next"
    assert not ing.catalog.write_facts("b", "another sha256", BUILDER("b", "", *_nothing()))
    assert load_facts(ing.catalog, "nope") is None


def test_facts_are_served_when_the_catalog_cannot_store_them(tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "b.txt"
    src.write_text("全市共有208家企业复工复产。\n", encoding="utf-8")
    ing = ingestor(tmp_path, facts=None)
    ing.ingest([src], progress=False)

    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(ing.catalog, "write_facts", read_only)
    assert [f.figure.text for f in load_facts(ing.catalog, "b")] == ["208家"]


def test_the_version_follows_the_reading_code() -> None:
    assert fact_store.source_version() == BUILDER.version
    assert fact_store.source_version(("service.facts.reading",)) != fact_store.source_version(("service.figures",))


@pytest.mark.parametrize("name", ["000", "004"])
def test_key_figures_from_stored_facts_equal_those_of_the_built_ones(tmp_path: Path, name: str) -> None:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    ing = ingestor(tmp_path)
    ing.ingest([path], progress=False)
    stored = load_facts(ing.catalog, path.stem)
    assert stored == list(seed(name)[2])
    assert key_figures(stored) == key_figures(seed(name)[2])
