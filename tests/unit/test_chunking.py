"""Chunking through vectorstore.pipeline.process on the seeds: token budget, figures never cut, offsets
back to the original, unique ids, overlap, coverage; and offline tiktoken."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from service.figures import parse_figures
from vectorstore.chunking import chunk_spans, clause_spans
from vectorstore.cleaning import (
    MARKDOWN_HEADING,
    PAGE_JUMP,
    STRAY_PAGE_TAG,
    fold_width,
    split_sentences,
    squash,
)
from vectorstore.pipeline import process
from vectorstore.tokens import count_tokens

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_IDS = [p.name[:3] for p in sorted(SEEDS.glob("*.txt"))]
BUDGETS = [160, 60, 30]

# A clause may end at a sentence end, or at a comma / enumeration comma / colon that is not between two
# digits ("1,000", "17:37" are one figure). Defined here, independently of chunking.CLAUSE_BREAK.
CLAUSE_END = re.compile(r"[。！？；;!?]|(?<!\d)[，,、：:]|[，,、：:](?!\d)")
TRAILING_PUNCT = "。！？；;!?，,、：:”’\"」』）)"


@cache
def raw(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text("utf-8")


@cache
def processed(prefix: str, budget: int = 160, overlap: int = 1):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return process(path.stem, raw(prefix), chunk_tokens=budget, overlap=overlap)


def droppable(original: str, ct) -> list[bool]:
    """Original characters a chunk's raw span may hold beyond its text: markup (page-jump markers, stray
    page tags, heading marks), whitespace, and verbatim repeats (20+ chars) of text kept elsewhere."""
    mask = [ch.isspace() for ch in original]
    for pattern in (PAGE_JUMP, STRAY_PAGE_TAG, MARKDOWN_HEADING):
        for m in pattern.finditer(original):
            mask[m.start() : m.end()] = [True] * (m.end() - m.start())
    kept, squashed = set(ct.offsets), squash(ct.text)
    i = 0
    while i < len(original):
        if i in kept or mask[i]:
            i += 1
            continue
        j = i
        while j < len(original) and j not in kept and not (mask[j] and not original[j].isspace()):
            j += 1
        run = squash(original[i:j])
        if len(run) >= 20 and run in squashed:
            mask[i:j] = [True] * (j - i)
        i = j
    return mask


def by_article(p):
    out: dict[int, list] = {}
    for c in p.chunks:
        out.setdefault(c.article, []).append(c)
    return out


# --- budget -------------------------------------------------------------------------------------


BUDGET_CASES = [pytest.param(prefix, budget) for prefix in SEED_IDS for budget in BUDGETS]


@pytest.mark.parametrize("prefix, budget", BUDGET_CASES)
def test_chunks_within_budget_unless_one_clause(prefix, budget):
    p = processed(prefix, budget)
    assert p.chunks
    for c in p.chunks:
        assert c.tokens == count_tokens(c.text)
        if c.tokens > budget:
            inner = c.text.rstrip(TRAILING_PUNCT)
            assert not CLAUSE_END.search(inner), f"{c.chunk_id}: {c.tokens} tokens but splittable: {c.text}"


def test_half_width_comma_before_a_digit_is_a_clause_break():
    # 000 uses half-width commas; "至今,6家" is a clause break, only "1,000" (digits both sides) is not.
    text = "春节假期至今,6家防疫物资生产企业始终开足马力生产,3家大型商超、1个蔬菜批发市场保持正常营业。"
    clauses = [text[s:e] for s, e in clause_spans(text, 0, len(text))]
    assert clauses[:2] == ["春节假期至今,", "6家防疫物资生产企业始终开足马力生产,"]


def test_thousands_separators_and_times_are_not_clause_breaks():
    text = "累计生产口罩1,234,567只，时间:2020-02-26 17:37:48，消毒剂1373.5吨。"
    clauses = [text[s:e] for s, e in clause_spans(text, 0, len(text))]
    assert "累计生产口罩1,234,567只，" in clauses
    assert any("17:37:48" in c for c in clauses)


# --- figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("budget", [160, 30])
@pytest.mark.parametrize("prefix", SEED_IDS)
def test_no_figure_is_cut(prefix, budget):
    p = processed(prefix, budget)
    chunks = by_article(p)
    n = 0
    for art in p.articles:
        for fig in parse_figures(art.text):
            s, e = art.clean_start + fig.start, art.clean_start + fig.end
            assert any(c.clean_start <= s and e <= c.clean_end for c in chunks[art.index]), (
                f"{fig.text!r} cut in article {art.index}"
            )
            n += 1
    assert n > 20  # the seeds are full of figures


def test_small_budget_keeps_figures_whole_synthetic():
    text = "据统计，全市累计生产口罩1,234,567只，消毒液2.5万瓶，近800张通行证，96.6%，(0391)3566659。"
    for budget in (4, 8):
        spans = chunk_spans(text, 0, len(text), max_tokens=budget, overlap=0)
        pieces = [text[s:e] for s, e in spans]
        for fig in ("1,234,567只", "2.5万瓶", "近800张", "96.6%", "(0391)3566659"):
            assert any(fig in piece for piece in pieces), (fig, pieces)


# --- offsets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_chunk_offsets_point_at_the_original(prefix):
    original, p = raw(prefix), processed(prefix)
    ct = p.clean
    mask = droppable(original, ct)
    for c in p.chunks:
        assert c.text == ct.text[c.clean_start : c.clean_end]
        assert 0 <= c.start < c.end <= len(original)
        assert fold_width(original[c.start]) == c.text[0] and fold_width(original[c.end - 1]) == c.text[-1]
        raw_span = "".join(ch for i, ch in enumerate(original[c.start : c.end], c.start) if not mask[i])
        assert squash(raw_span) == squash(c.text), c.chunk_id


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_articles_offsets_point_at_the_original(prefix):
    original, p = raw(prefix), processed(prefix)
    mask = droppable(original, p.clean)
    for a in p.articles:
        assert a.text == p.clean.text[a.clean_start : a.clean_end]
        assert p.clean.to_original(a.clean_start, a.clean_end) == (a.start, a.end)
        raw_span = "".join(ch for i, ch in enumerate(original[a.start : a.end], a.start) if not mask[i])
        assert squash(raw_span) == squash(a.text), a.index


# --- ids, overlap, coverage, metadata -----------------------------------------------------------


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_chunk_ids_unique_and_stable(prefix):
    p = processed(prefix)
    ids = [c.chunk_id for c in p.chunks]
    assert len(ids) == len(set(ids))
    doc_id = next(SEEDS.glob(f"{prefix}_*.txt")).stem
    for art, chunks in by_article(p).items():
        assert [c.chunk_id for c in chunks] == [f"{doc_id}:{art}:{n}" for n in range(len(chunks))]
    # Deterministic: the same text gives the same ids and spans (ingest relies on it to upsert).
    again = process(doc_id, raw(prefix))
    assert [(c.chunk_id, c.start, c.end) for c in again.chunks] == [(c.chunk_id, c.start, c.end) for c in p.chunks]


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_overlap_is_one_sentence(prefix):
    p = processed(prefix)
    text = p.clean.text
    overlapping = 0
    for chunks in by_article(p).values():
        for prev, nxt in zip(chunks, chunks[1:], strict=False):
            assert nxt.clean_start > prev.clean_start
            if nxt.clean_start < prev.clean_end:
                # The next chunk starts with the previous chunk's last sentence, not mid-sentence.
                sentences = split_sentences(text[prev.clean_start : prev.clean_end], base=prev.clean_start)
                assert len(sentences) > 1 and nxt.clean_start == sentences[-1][0], (prev.chunk_id, nxt.chunk_id)
                overlapping += 1
    assert overlapping >= len(p.chunks) // 3


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_no_chunk_repeats_the_tail_of_the_previous_one(prefix):
    for chunks in by_article(processed(prefix)).values():
        for prev, nxt in zip(chunks, chunks[1:], strict=False):
            assert nxt.clean_end > prev.clean_end, f"{nxt.chunk_id} only repeats the end of {prev.chunk_id}"


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_no_overlap_when_disabled(prefix):
    p = processed(prefix, 160, 0)
    for chunks in by_article(p).values():
        for prev, nxt in zip(chunks, chunks[1:], strict=False):
            assert nxt.clean_start >= prev.clean_end


@pytest.mark.parametrize("budget", [160, 30])
@pytest.mark.parametrize("prefix", SEED_IDS)
def test_chunks_cover_every_article_character(prefix, budget):
    p = processed(prefix, budget)
    text = p.clean.text
    chunks = by_article(p)
    for art in p.articles:
        covered = set()
        for c in chunks.get(art.index, []):
            assert art.clean_start <= c.clean_start < c.clean_end <= art.clean_end  # never crosses articles
            covered.update(range(c.clean_start, c.clean_end))
        lost = "".join(text[i] for i in range(art.clean_start, art.clean_end) if i not in covered and not text[i].isspace())
        assert lost == "", f"article {art.index} loses {lost!r}"


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_chunk_metadata_from_article(prefix):
    p = processed(prefix)
    arts = {a.index: a for a in p.articles}
    for c in p.chunks:
        a = arts[c.article]
        assert c.doc_id == a.doc_id and c.title == a.title and c.places == a.places and c.published == a.published
        assert c.text == c.text.strip()


def test_document_level_metadata():
    assert processed("003").published == "2020-02-26" and processed("003").places[0] == "定州市"
    assert processed("000").published == "2020-03-11"
    assert "示范区40家重点工业企业复工复产率100%" in processed("004").title
    guo = next(a for a in processed("004").articles if a.reporter == "郭树勋")
    assert guo.places[0] == "示范区"  # the subject place, from the headline


# --- tiktoken offline ---------------------------------------------------------------------------


def test_count_tokens_works_offline_from_an_empty_cache(tmp_path):
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from vectorstore.tokens import count_tokens, truncate_tokens\n"
        "n = count_tokens('示范区40家重点工业企业复工复产率100%')\n"
        "assert 0 < n < 40, n\n"
        "assert truncate_tokens('示范区40家重点工业企业复工复产率100%', 3) != ''\n"
        "print(n)\n"
    )
    cache_dir = tmp_path / "tiktoken"
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache_dir)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == count_tokens("示范区40家重点工业企业复工复产率100%")
    assert len(list(cache_dir.iterdir())) == 1  # the bundled BPE file, under the sha1 of its URL
