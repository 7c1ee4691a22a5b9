"""Retrieval benchmark: hit@1/3/5 of the answering sentence (the gold quote of evals/facts.yaml) for dense,
BM25 and hybrid retrieval, per lexical tokeniser, and for a plain LangChain baseline
(RecursiveCharacterTextSplitter + the same e5 embeddings + Chroma similarity search).

    python bench/retrieval.py [--data-dir /tmp/bench-index] [--chunk-tokens 160]

A hit means some top-k chunk contains the whole gold quote (whitespace and full-width folded) and comes
from the gold bulletin. Prints a table; writes nothing into the repo.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import yaml

from service.citations import Passage
from service.facts.store import BUILDER, DocumentFacts, load_facts
from service.figures import index_tokens
from service.intent import expand_question
from service.ranking import RERANK_DEPTH, question_boost, rerank
from vectorstore.catalog import Catalog
from vectorstore.cleaning import CleanText, squash
from vectorstore.embeddings import E5EmbeddingFunction, E5LangChainEmbeddings
from vectorstore.ingest import Ingestor
from vectorstore.lexical import make_tokenizer
from vectorstore.retrieval import HybridRetriever
from vectorstore.store import ChunkStore, make_client

ROOT = Path(__file__).resolve().parents[1]


def load_queries(path: Path) -> list[dict]:
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]
    out = []
    for f in facts:
        if f.get("answerable", True) is False:
            continue
        docs = {f["doc_id"], *f.get("also_in", [])}
        out.append({"id": f["id"], "q": f["question"], "quote": squash(f["quote"]), "docs": docs})
        if f.get("paraphrase"):
            out.append({"id": f["id"] + "p", "q": f["paraphrase"], "quote": squash(f["quote"]), "docs": docs})
    return out


def hit_ranks(results: list[list[tuple[str, str]]], queries: list[dict]) -> list[int | None]:
    """results[i] = [(doc_id, text), ...] ranked; returns the 1-based rank of the first hit or None."""
    ranks = []
    for q, res in zip(queries, results, strict=True):
        rank = None
        for r, (doc, text) in enumerate(res, 1):
            if doc in q["docs"] and q["quote"] in squash(text):
                rank = r
                break
        ranks.append(rank)
    return ranks


def summarise(name: str, ranks: list[int | None], seconds: float) -> dict:
    n = len(ranks)
    row = {"system": name, "n": n, "ms_per_query": round(1000 * seconds / n, 1)}
    for k in (1, 3, 5):
        row[f"hit@{k}"] = round(sum(1 for r in ranks if r is not None and r <= k) / n, 3)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--chunk-tokens", type=int, default=160)
    ap.add_argument("--overlap", type=int, default=1)
    ap.add_argument("--facts", type=Path, default=ROOT / "evals" / "facts.yaml")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    queries = load_queries(args.facts)

    catalog = Catalog(data / "catalog.sqlite3")
    store = ChunkStore(make_client(data / "chroma"), "bench", E5EmbeddingFunction())
    t = time.perf_counter()
    Ingestor(catalog, store, args.chunk_tokens, args.overlap, facts=BUILDER).ingest([ROOT / "seeds"], progress=False)
    print(f"index: {len(catalog.chunks())} chunks ({args.chunk_tokens} tokens, overlap {args.overlap}) "
          f"in {time.perf_counter() - t:.1f}s; {len(queries)} queries")
    chunks = catalog.chunks()
    rows = []
    for tok in ("jieba", "bigram", "jieba+bigram"):
        retriever = HybridRetriever(chunks, store, make_tokenizer(tok, extra=index_tokens), candidates=30)
        for mode in (("lexical", "hybrid") if tok != "jieba+bigram" else ("dense", "lexical", "hybrid")):
            t = time.perf_counter()
            res = [[(h.chunk.doc_id, h.chunk.text) for h in retriever.search(q["q"], 5, mode=mode)] for q in queries]
            name = "dense (e5)" if mode == "dense" else f"{'bm25' if mode == 'lexical' else 'hybrid'} [{tok}]"
            rows.append(summarise(name, hit_ranks(res, queries), time.perf_counter() - t))
    # What the service runs: hybrid + question-aware boost (place, figure shape) + shorthand expansion.
    retriever = HybridRetriever(chunks, store, make_tokenizer("jieba+bigram", extra=index_tokens), candidates=30,
                                boost=question_boost, expand=expand_question)
    t = time.perf_counter()
    res = [[(h.chunk.doc_id, h.chunk.text) for h in retriever.search(q["q"], 5)] for q in queries]
    rows.append(summarise("hybrid+boost", hit_ranks(res, queries), time.perf_counter() - t))
    # ... + answer-aware re-ranking of the top 10, exactly as Engine.search does.
    texts = {r["doc_id"]: (r["original"], CleanText(r["clean_text"], json.loads(r["clean_offsets"])))
             for r in catalog.documents()}
    facts = {doc_id: DocumentFacts(load_facts(catalog, doc_id) or []) for doc_id in texts}
    t = time.perf_counter()
    res = []
    for q in queries:
        hits = retriever.search(q["q"], RERANK_DEPTH)
        passages = [Passage(i, h.chunk, texts[h.chunk.doc_id][1], texts[h.chunk.doc_id][0], h.score,
                            facts[h.chunk.doc_id]) for i, h in enumerate(hits, 1)]
        res.append([(h.chunk.doc_id, h.chunk.text) for h in rerank(q["q"], hits, passages)[:5]])
    rows.append(summarise("hybrid+boost+rerank (service)", hit_ranks(res, queries), time.perf_counter() - t))

    if not args.skip_baseline:
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=300, chunk_overlap=50)
        texts, metas = [], []
        for f in sorted((ROOT / "seeds").glob("*.txt")):
            for piece in splitter.split_text(f.read_text(encoding="utf-8")):
                texts.append(piece)
                metas.append({"doc_id": f.stem})
        vs = Chroma(collection_name="baseline", embedding_function=E5LangChainEmbeddings(),
                    client=make_client(data / "chroma"))
        vs.add_texts(texts, metas)
        t = time.perf_counter()
        res = [[(d.metadata["doc_id"], d.page_content) for d in vs.similarity_search(q["q"], k=5)] for q in queries]
        rows.append(summarise("langchain baseline", hit_ranks(res, queries), time.perf_counter() - t))

    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(f"{'system':28} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'ms/q':>6}")
    for r in rows:
        print(f"{r['system']:28} {r['hit@1']:>6} {r['hit@3']:>6} {r['hit@5']:>6} {r['ms_per_query']:>6}")


if __name__ == "__main__":
    main()
