"""A running server sees `bulletins ingest` / `bulletins remove` done by another process on the same
BULLETINS_DATA_DIR, without a restart: new bulletins are found and can be filtered on, removed ones are
never cited, a doc_id filter naming no bulletin is a 422 (never a 500), and an unchanged catalog costs one
SQLite read per request, not a reload."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEED_004 = Path(__file__).resolve().parents[2] / "seeds" / "004_442700f1404d18b4.txt"
GUO_Q = "示范区重点工业企业复工复产情况如何？"  # 郭树勋's item: 40 key industrial enterprises
ZHAN_Q = "解放区商务局成立了几个督导组？"  # 詹长松's item: 四个督导组


def item(reporter: str, paragraphs: int = 3) -> str:
    """The first printed paragraphs of one news item of seed 004 (about 4 chunks)."""
    text = SEED_004.read_text("utf-8")
    start = text.index(f"本报讯（记者{reporter}）")
    body = text[start : text.find("本报讯", start + 3)]
    return "\n\n".join(body.split("\n\n")[:paragraphs]) + "\n"


def bulletins(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    # Only the session's embedding cache is inherited (see tests/conftest.py).
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULLETINS_") or k == "BULLETINS_EMBEDDING_CACHE"}
    env.update(BULLETINS_DATA_DIR=str(data_dir), ANONYMIZED_TELEMETRY="False")
    return subprocess.run([sys.executable, "-m", "service.cli", *args], env=env, cwd=data_dir.parent,
                          capture_output=True, text=True, timeout=240)


@pytest.fixture
def served(tmp_path):
    """(data dir, folder of bulletin files, the server's Engine, a TestClient that turns server errors into
    500s as a real server does) over an index holding only guo."""
    from fastapi.testclient import TestClient

    from service.api.app import create_app
    from service.engine import Engine
    from service.settings import Settings

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "guo.txt").write_text(item("郭树勋"), "utf-8")
    (folder / "zhan.txt").write_text(item("詹长松"), "utf-8")
    settings = Settings(data_dir=tmp_path / "data", answerer="extractive")
    engine = Engine(settings)
    assert engine.ingest([folder / "guo.txt"], progress=False).added == ["guo"]
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
        yield settings.data_dir, folder, engine, client


def cited(r) -> set[str]:
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return {c["doc_id"] for c in r.json()["citations"]}


def test_ingest_and_remove_by_another_process_are_seen(served):
    data, folder, _, client = served
    assert cited(client.post("/chat", json={"question": GUO_Q})) == {"guo"}

    out = bulletins("ingest", str(folder / "zhan.txt"), "-q", data_dir=data)
    assert out.returncode == 0, out.stderr
    assert [d["doc_id"] for d in client.get("/documents").json()] == ["guo", "zhan"]
    # Before: 500 (Chroma "Error finding id": its in-memory index in this process never saw zhan's vectors).
    r = client.post("/chat", json={"question": ZHAN_Q, "filters": {"doc_id": "zhan"}})
    assert cited(r) == {"zhan"}
    assert "zhan" in cited(client.post("/chat", json={"question": ZHAN_Q}))

    out = bulletins("remove", "guo", data_dir=data)
    assert out.returncode == 0, out.stderr
    for q in (GUO_Q, "40家重点工业企业", ZHAN_Q):
        assert "guo" not in cited(client.post("/chat", json={"question": q})), q
    r = client.post("/chat", json={"question": GUO_Q, "filters": {"doc_id": "guo"}})
    assert r.status_code == 422, (r.status_code, r.text[:300])
    assert "guo" in r.json()["detail"] and "/documents" in r.json()["detail"]


def test_removal_through_another_engine_is_seen(served):
    """The same with two Engine objects in one process (the writer is not the server's Engine)."""
    from service.engine import Engine
    from service.settings import Settings

    data, _, _, client = served
    assert cited(client.post("/chat", json={"question": GUO_Q})) == {"guo"}
    writer = Engine(Settings(data_dir=data, answerer="extractive"))
    assert writer.remove("guo") is True
    r = client.post("/chat", json={"question": GUO_Q})
    assert cited(r) == set() and r.json()["abstained"], r.json()["answer"]
    assert client.get("/documents").json() == []


@pytest.mark.parametrize("doc_id", ["no_such_doc", ["guo", "no_such_doc"]])
def test_unknown_doc_id_filter_is_a_422(served, doc_id):
    _, _, _, client = served
    for path in ("/chat", "/chat/stream"):
        r = client.post(path, json={"question": GUO_Q, "filters": {"doc_id": doc_id}})
        assert r.status_code == 422, (path, r.status_code, r.text[:300])
        assert "no_such_doc" in r.json()["detail"] and "GET /documents" in r.json()["detail"]


def test_an_unchanged_catalog_is_not_reloaded(served):
    """Per request the server reads the catalog's generation (one SQLite read); the BM25 index is rebuilt
    only when another process changed the catalog."""
    from service.engine import Engine
    from service.settings import Settings

    data, _, engine, client = served
    cited(client.post("/chat", json={"question": GUO_Q}))
    retriever, store = engine.retriever, engine.store
    for _ in range(3):
        cited(client.post("/chat", json={"question": GUO_Q}))
    assert engine.retriever is retriever and engine.store is store

    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        engine.refresh()
    per_check_us = (time.perf_counter() - t0) / n * 1e6
    print(f"generation check: {per_check_us:.1f} us")
    assert per_check_us < 500

    Engine(Settings(data_dir=data, answerer="extractive")).remove("guo")
    cited(client.post("/chat", json={"question": GUO_Q}))
    assert engine.retriever is not retriever


def test_a_query_racing_another_writer_reopens_the_index(served, monkeypatch):
    """Another process rewrites vectors between the generation check and the query: Chroma says "Error finding
    id". The server reopens the index and asks again instead of answering 500."""
    from chromadb.errors import InternalError

    _, _, engine, client = served
    cited(client.post("/chat", json={"question": GUO_Q}))
    stale = engine.store

    def racing(*args, **kwargs):
        raise InternalError("Error executing plan: Internal error: Error finding id")

    monkeypatch.setattr(stale, "query", racing)
    r = client.post("/chat", json={"question": GUO_Q, "filters": {"doc_id": "guo"}})
    assert cited(r) == {"guo"}  # before: 500
    assert engine.store is not stale


def test_questions_in_flight_while_another_process_writes(served):
    """Requests keep coming while the index is reopened under them: none may fail (the old Chroma client is
    closed only once no search is using it)."""
    import threading

    data, folder, engine, client = served
    failures: list[tuple[int, str]] = []
    answered = [0]
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            r = client.post("/chat", json={"question": GUO_Q, "filters": {"doc_id": "guo"}})
            answered[0] += 1
            if r.status_code != 200 or "guo" not in cited(r):
                failures.append((r.status_code, r.text[:200]))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        store = engine.store
        for args in (("ingest", str(folder / "zhan.txt"), "-q"), ("remove", "zhan")):
            out = bulletins(*args, data_dir=data)
            assert out.returncode == 0, out.stderr
            deadline = time.monotonic() + 30
            while engine.store is store and time.monotonic() < deadline:
                time.sleep(0.05)
            assert engine.store is not store, "the index was not reopened"
            store = engine.store
            time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert not failures, failures[:3]
    assert answered[0] >= 10
