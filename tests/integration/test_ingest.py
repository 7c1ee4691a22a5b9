"""Ingestion through the Engine and the `bulletins` CLI, on real seeds, in temporary data dirs:
idempotence, replacement, removal, bad files in a batch, GBK twins, and repair after a crash.

Embedding costs about 0.3 s a chunk on 2 cores, so the tests use 003 (the smallest seed, 58 chunks),
ingested once into a base index that each test copies, and single items cut from 004 (7-11 chunks)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from functools import cache
from pathlib import Path

import pytest

from service.engine import Engine
from service.settings import Settings
from vectorstore.cleaning import squash

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_003 = SEEDS / "003_74452890e820d922.txt"
DOC_003 = SEED_003.stem
SEED_004 = SEEDS / "004_442700f1404d18b4.txt"


def cli_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULLETINS_")}
    env.update(BULLETINS_DATA_DIR=str(data_dir), ANONYMIZED_TELEMETRY="False")
    return env


def bulletins(*args: str, data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args], env=cli_env(data_dir), cwd=data_dir.parent,
        capture_output=True, text=True, timeout=timeout,
    )


@cache
def item_004(reporter: str, paragraphs: int | None = None) -> str:
    """One news item of 004 as printed (column text, trailing headline, page tag), from its 本报讯 to the
    next; or only its first `paragraphs` printed paragraphs (3 paragraphs: about 4 chunks)."""
    text = SEED_004.read_text("utf-8")
    start = text.index(f"本报讯（记者{reporter}）")
    nxt = text.find("本报讯", start + 3)
    item = text[start : nxt if nxt > 0 else len(text)]
    return item if paragraphs is None else "\n\n".join(item.split("\n\n")[:paragraphs]) + "\n"


def engine_for(data_dir: Path) -> Engine:
    return Engine(Settings(data_dir=data_dir, chroma_url=None, answerer="extractive"))


def assert_consistent(engine: Engine) -> None:
    """Chroma holds exactly the catalog's chunks: same ids, no duplicates, no orphans, all complete."""
    rows = engine.catalog.documents(status=None)
    assert all(r["status"] == "complete" for r in rows), [(r["doc_id"], r["status"]) for r in rows]
    catalog_ids = [c.chunk_id for c in engine.catalog.chunks()]
    assert len(catalog_ids) == len(set(catalog_ids))
    got = engine.store.collection.get(include=["metadatas"])
    chroma_ids = got["ids"]
    assert len(chroma_ids) == len(set(chroma_ids)) == engine.store.count()
    assert set(chroma_ids) == set(catalog_ids)
    for cid, meta in zip(chroma_ids, got["metadatas"], strict=True):
        assert cid.startswith(meta["doc_id"] + ":")
    counts = engine.catalog.counts()
    for r in rows:
        assert engine.store.count(r["doc_id"]) == counts[r["doc_id"]][1] > 0


# --- a base index with 003, built once through the CLI ------------------------------------------


@pytest.fixture(scope="module")
def base_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("base")
    folder = root / "in"
    folder.mkdir()
    shutil.copy(SEED_003, folder)
    data = root / "data"
    out = bulletins("ingest", str(folder), "--json", "-q", data_dir=data, timeout=240)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["added"] == [DOC_003] and not report["failed"], report
    return data


@pytest.fixture
def base_engine(base_index, tmp_path) -> Engine:
    data = tmp_path / "data"
    shutil.copytree(base_index, data)  # the CLI process has exited: the files are closed
    return engine_for(data)


def test_same_file_twice_is_unchanged(base_engine):
    engine = base_engine
    assert_consistent(engine)
    before_ids = set(engine.store.collection.get(include=[])["ids"])
    n_catalog = len(engine.catalog.chunks(DOC_003))
    for _ in range(2):
        report = engine.ingest([SEED_003], progress=False)
        assert report.unchanged == [DOC_003]
        assert not (report.added or report.updated or report.repaired or report.failed)
    assert set(engine.store.collection.get(include=[])["ids"]) == before_ids
    assert engine.store.count() == n_catalog == len(before_ids)
    assert_consistent(engine)


def test_changed_file_replaces_old_chunks(base_engine, tmp_path):
    engine = base_engine
    old_ids = {c.chunk_id for c in engine.catalog.chunks(DOC_003)}
    original = SEED_003.read_text("utf-8")
    # A corrected re-issue: the header and one paragraph of the bulletin, with one figure changed.
    lines = original.split("\n")
    (para,) = [ln for ln in lines if "累计筛查发热人员2433人次" in ln]
    changed = "\n".join(lines[:5]) + "\n" + para.replace("2433人次", "2533人次") + "\n"
    folder = tmp_path / "reissue"
    folder.mkdir()
    (folder / SEED_003.name).write_text(changed, "utf-8")

    report = engine.ingest([folder], progress=False)
    assert report.updated == [DOC_003] and not report.failed

    chunks = engine.catalog.chunks(DOC_003)
    new_ids = {c.chunk_id for c in chunks}
    assert len(new_ids) < len(old_ids)
    assert set(engine.store.collection.get(include=[])["ids"]) == new_ids  # no stale ids left behind
    texts = "".join(c.text for c in chunks)
    assert "2533人次" in texts and "2433人次" not in texts
    assert "用超常之策抓发展" not in texts and "抓实7个环节" in texts
    row = engine.catalog.document(DOC_003)
    assert row["original"] == changed and row["status"] == "complete"
    for c in chunks:  # offsets point into the new text
        assert squash(c.text) in squash(changed[c.start : c.end])
    # What Chroma stores is the new text too.
    got = engine.store.collection.get(ids=sorted(new_ids), include=["documents"])
    assert any("2533人次" in d for d in got["documents"]) and not any("2433人次" in d for d in got["documents"])
    assert_consistent(engine)
    # And the retriever, rebuilt after ingest, serves the new chunks only.
    hits = engine.search("累计筛查发热人员多少人次", k=10)
    assert hits and all(h.chunk.chunk_id in new_ids for h in hits)
    assert any("2533人次" in h.chunk.text for h in hits)


def test_remove_document(base_engine):
    engine = base_engine
    assert engine.search("定州复工复产企业有几家？")
    assert engine.remove(DOC_003) is True
    assert engine.store.count() == 0 and engine.store.count(DOC_003) == 0
    assert engine.catalog.document(DOC_003) is None
    assert engine.catalog.chunks(DOC_003) == [] and engine.catalog.articles(DOC_003) == []
    assert engine.list_documents() == [] and engine.is_empty()
    assert engine.search("定州复工复产企业有几家？") == []
    assert engine.remove(DOC_003) is False
    assert_consistent(engine)


def test_gbk_twin_gets_the_same_chunks(fresh_settings, tmp_path):
    # 004 is GBK-encodable, so its items make true GBK twins (003 holds U+00A0, which GBK lacks).
    text = item_004("郭嘉莉")
    utf8, gbk = tmp_path / "郭嘉莉_utf8.txt", tmp_path / "郭嘉莉_gbk.txt"
    utf8.write_text(text, "utf-8")
    gbk.write_bytes(text.encode("gbk", errors="strict"))
    engine = Engine(fresh_settings)
    report = engine.ingest([utf8, gbk], progress=False)
    assert sorted(report.added) == ["郭嘉莉_gbk", "郭嘉莉_utf8"] and not report.failed
    a, b = engine.catalog.document("郭嘉莉_utf8"), engine.catalog.document("郭嘉莉_gbk")
    assert (a["encoding"], b["encoding"]) == ("utf-8", "gb18030")
    assert a["sha256"] == b["sha256"] and a["original"] == b["original"] == text
    key = [(c.text, c.start, c.end, c.title, c.places, c.published) for c in engine.catalog.chunks("郭嘉莉_utf8")]
    assert key and key == [
        (c.text, c.start, c.end, c.title, c.places, c.published) for c in engine.catalog.chunks("郭嘉莉_gbk")
    ]
    assert_consistent(engine)


def test_orphan_vectors_are_removed_on_next_ingest(base_engine):
    from vectorstore.pipeline import process

    engine = base_engine
    ghost = process("ghost", item_004("詹长松", 3))
    engine.store.add(ghost.chunks)  # vectors the catalog knows nothing about (e.g. a half-done remove)
    assert engine.store.count("ghost") == len(ghost.chunks) > 0
    report = engine.ingest([], progress=False)
    assert not report.failed
    assert engine.store.doc_ids() == {DOC_003}
    assert_consistent(engine)


# --- fresh indexes ------------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(64)


def test_batch_with_bad_files_ingests_the_rest(fresh_settings, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_blank.txt").write_text(" \n\u3000\n", "utf-8")
    (folder / "c_scan.txt").write_bytes(PNG)
    (folder / "d_good.txt").write_text(item_004("詹长松", 3), "utf-8")
    (folder / "e_table.xlsx").write_bytes(b"PK\x03\x04")  # not a supported suffix: skipped in a folder
    (folder / ".hidden.txt").write_text(item_004("贾定兴"), "utf-8")  # hidden: skipped
    bad_pdf = tmp_path / "broken.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4 truncated")
    unsupported = tmp_path / "photo.png"
    unsupported.write_bytes(PNG)

    engine = Engine(fresh_settings)
    report = engine.ingest([folder, bad_pdf, unsupported], progress=False)
    assert report.added == ["d_good"]
    failed = dict(report.failed)
    assert set(failed) == {str(folder / n) for n in ("a_empty.txt", "b_blank.txt", "c_scan.txt")} | {
        str(bad_pdf), str(unsupported)
    }
    for path, message in report.failed:
        assert Path(path).name in message  # says which file
    assert "empty" in failed[str(folder / "a_empty.txt")]
    assert "binary" in failed[str(folder / "c_scan.txt")]
    assert "unsupported" in failed[str(unsupported)]
    assert [d["doc_id"] for d in engine.list_documents()] == ["d_good"]
    assert engine.catalog.documents(status=None)[0]["doc_id"] == "d_good"
    assert_consistent(engine)


def test_two_files_with_the_same_doc_id_in_one_batch(fresh_settings, tmp_path):
    """The doc id is the file name without its suffix: a/dup.txt and b/dup.md are different bulletins
    claiming one id. The second must be refused by name, not silently replace the first."""
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    first, second = tmp_path / "in" / "a" / "dup.txt", tmp_path / "in" / "b" / "dup.md"
    first.write_text(item_004("郭嘉莉", 3), "utf-8")
    second.write_text(item_004("詹长松", 3), "utf-8")
    engine = Engine(fresh_settings)
    for expected in ("added", "unchanged"):  # and the same again: no flip-flop between the two
        report = engine.ingest([tmp_path / "in"], progress=False)
        assert getattr(report, expected) == ["dup"]
        assert [p for p, _ in report.failed] == [str(second)]
        message = report.failed[0][1]
        assert str(second) in message and str(first) in message and "dup" in message
        assert engine.catalog.document("dup")["path"] == str(first)
        assert "郭嘉莉" in engine.catalog.document("dup")["original"]
    assert_consistent(engine)


def test_failure_after_vectors_written_is_repaired(fresh_settings, tmp_path, monkeypatch):
    """Deterministic crash: the 2nd document's vectors are in Chroma but the catalog write fails. The
    next ingest must repair it from the stored text, with no duplicate or orphan vectors."""
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a_guo.txt").write_text(item_004("郭嘉莉", 3), "utf-8")
    (folder / "b_xu.txt").write_text(item_004("徐金华", 3), "utf-8")
    engine = Engine(fresh_settings)
    real_write = engine.catalog.write_document
    calls = []

    def crash_on_second(**kw):
        calls.append(kw["doc_id"])
        if kw["doc_id"] == "b_xu" and calls.count("b_xu") == 1:
            raise RuntimeError("simulated crash after store.add")
        return real_write(**kw)

    monkeypatch.setattr(engine.catalog, "write_document", crash_on_second)
    report = engine.ingest([folder], progress=False)
    assert report.added == ["a_guo"]
    assert [Path(p).name for p, _ in report.failed] == ["b_xu.txt"]
    assert engine.catalog.document("b_xu")["status"] == "pending"
    assert engine.store.count("b_xu") > 0  # the vectors went in before the crash
    assert [d["doc_id"] for d in engine.list_documents()] == ["a_guo"]  # pending is not served

    report = engine.ingest([folder], progress=False)
    assert report.repaired == ["b_xu"] and sorted(report.unchanged) == ["a_guo", "b_xu"] and not report.failed
    assert_consistent(engine)
    assert [d["doc_id"] for d in engine.list_documents()] == ["a_guo", "b_xu"]
    assert any(h.chunk.doc_id == "b_xu" for h in engine.search("孟州市 督导 疫情防控", k=5))


def test_crash_during_update_ends_with_the_new_version(fresh_settings, tmp_path, monkeypatch):
    path = tmp_path / "item.txt"
    path.write_text(item_004("詹长松", 3), "utf-8")
    engine = Engine(fresh_settings)
    assert engine.ingest([path], progress=False).added == ["item"]
    new_text = item_004("詹长松", 3).replace("解放区", "解放区（更正）", 1)
    path.write_text(new_text, "utf-8")

    def crash(**kw):
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(engine.catalog, "write_document", crash)
    assert engine.ingest([path], progress=False).failed
    monkeypatch.undo()
    report = engine.ingest([path], progress=False)
    assert not report.failed
    row = engine.catalog.document("item")
    assert row["status"] == "complete" and row["original"] == new_text
    assert any("解放区（更正）" in c.text for c in engine.catalog.chunks("item"))
    assert_consistent(engine)


def test_interrupted_ingest_kill_9_then_rerun(tmp_path):
    """kill -9 a real `bulletins ingest` while it writes its 2nd document, then ingest again."""
    folder = tmp_path / "batch"
    folder.mkdir()
    # A short first file, a long second one (the window to kill in), a short third.
    names = {"a_guo": ("郭嘉莉", 3), "b_xu": ("徐金华", None), "c_zhan": ("詹长松", 3)}
    for doc_id, (reporter, paragraphs) in names.items():
        (folder / f"{doc_id}.txt").write_text(item_004(reporter, paragraphs), "utf-8")
    data = tmp_path / "data"
    catalog = data / "catalog.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "ingest", str(folder), "-q"], env=cli_env(data), cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    statuses: dict[str, str] = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if catalog.exists():
                try:
                    with closing(sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=1)) as conn:
                        statuses = dict(conn.execute("SELECT doc_id, status FROM documents"))
                except sqlite3.Error:
                    statuses = {}
                if "complete" in statuses.values() and "pending" in statuses.values():
                    break
            time.sleep(0.02)
        assert proc.poll() is None, f"ingest ended before it could be interrupted: {proc.stderr.read()!r}"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with closing(sqlite3.connect(catalog)) as conn:  # the state the kill left, as the next ingest sees it
        statuses = dict(conn.execute("SELECT doc_id, status FROM documents"))
    assert list(statuses.values()).count("complete") >= 1 and "pending" in statuses.values(), statuses

    out = bulletins("ingest", str(folder), "--json", "-q", data_dir=data, timeout=240)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    pending = [d for d, s in statuses.items() if s == "pending"]
    assert report["repaired"] == pending and not report["failed"], report
    assert sorted(report["added"] + report["unchanged"]) == sorted(names)

    listed = bulletins("list", "--json", data_dir=data)
    assert listed.returncode == 0, listed.stderr
    docs = json.loads(listed.stdout)
    assert sorted(d["doc_id"] for d in docs) == sorted(names)  # each document exactly once

    engine = engine_for(data)
    assert_consistent(engine)
    assert engine.store.count() == sum(d["chunks"] for d in docs)


# --- what cannot be walked, and pending documents that cannot be repaired, never block the rest ---------


def test_unreadable_folder_is_reported(fresh_settings, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (locked / "hidden_from_us.txt").write_text(item_004("郭嘉莉", 3), "utf-8")
    (folder / "good.txt").write_text(item_004("詹长松", 3), "utf-8")
    locked.chmod(0)
    real_scandir = os.scandir

    def scandir(path="."):  # root reads a mode-000 folder anyway: refuse it as the kernel would for staff
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        report = Engine(fresh_settings).ingest([folder], progress=False)
    finally:
        locked.chmod(0o755)
    assert report.added == ["good"]  # before: added good, failed [] (the folder was skipped silently)
    assert [p for p, _ in report.failed] == [str(locked)]
    assert "Permission denied" in report.failed[0][1] and "permissions" in report.failed[0][1]


def stuck(engine: Engine, doc_id: str, original: str) -> None:
    """A document left 'pending' by an ingest that died (kill -9, out of memory) before completing."""
    import hashlib

    sha = hashlib.sha256(original.encode()).hexdigest()
    engine.catalog.mark_pending(doc_id, f"/gone/{doc_id}.txt", sha, "utf-8", original)


def test_unrepairable_pending_document_does_not_block_later_ingests(fresh_settings, tmp_path, monkeypatch, capsys):
    engine = Engine(fresh_settings)
    stuck(engine, "blank", " \n\u3000\n")  # its text cleans to nothing: the repair fails every time
    good = tmp_path / "good.txt"
    good.write_text(item_004("詹长松", 3), "utf-8")
    report = engine.ingest([good], progress=False)  # before: raised ReadError, good.txt not ingested
    assert report.added == ["good"] and not report.repaired
    (path, message), = report.failed
    assert path == "/gone/blank.txt" and "blank" in message and "bulletins remove blank" in message
    assert engine.catalog.document("blank")["status"] == "failed"  # set aside: not served, not retried
    assert [d["doc_id"] for d in engine.list_documents()] == ["good"]
    again = engine.ingest([good], progress=False)
    assert again.unchanged == ["good"] and not again.failed and not again.repaired
    # `bulletins list` says what was set aside
    import service.settings
    from service import cli

    monkeypatch.setattr(service.settings, "get_settings", lambda: fresh_settings)
    assert cli.main(["list"]) == 0
    out = capsys.readouterr()
    assert "good" in out.out and "blank" not in out.out
    assert "set aside" in out.err and "blank" in out.err and "bulletins remove" in out.err


def test_oversized_pending_document_is_set_aside_quickly(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", answerer="extractive", max_file_mb=0.01)  # 10 KiB
    engine = Engine(settings)
    stuck(engine, "huge", SEED_003.read_text("utf-8"))  # 12 KB, 58 chunks: about 20 s to embed on 2 cores
    good = tmp_path / "good.txt"
    good.write_text(item_004("詹长松", 1), "utf-8")
    t0 = time.perf_counter()
    report = engine.ingest([good], progress=False)
    elapsed = time.perf_counter() - t0
    print(f"ingest beside an oversized pending document: {elapsed:.1f} s")
    assert report.added == ["good"] and not report.repaired  # before: repaired ['huge'] after embedding it
    (path, message), = report.failed
    assert "huge" in message and "BULLETINS_MAX_FILE_MB" in message
    assert engine.catalog.document("huge")["status"] == "failed"
    assert engine.store.count("huge") == 0
    assert elapsed < 15
    assert_consistent_served(engine)


def assert_consistent_served(engine: Engine) -> None:
    """Chroma holds exactly the complete documents' chunks (documents set aside hold none)."""
    served = {c.chunk_id for c in engine.catalog.chunks()}
    assert set(engine.store.collection.get(include=[])["ids"]) == served


def test_file_over_the_size_setting_is_refused_by_name(tmp_path):
    engine = Engine(Settings(data_dir=tmp_path / "data", answerer="extractive", max_file_mb=0.01))
    big = tmp_path / "big.txt"
    big.write_text(SEED_003.read_text("utf-8"), "utf-8")
    report = engine.ingest([big], progress=False)
    (path, message), = report.failed
    assert path == str(big) and "big.txt" in message and "BULLETINS_MAX_FILE_MB" in message
    assert engine.is_empty()
