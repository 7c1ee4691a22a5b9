"""The `bulletins` command line, run as a subprocess against temporary data dirs: exit codes and
messages staff see, and the JSON other tools read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED_004 = Path(__file__).resolve().parents[2] / "seeds" / "004_442700f1404d18b4.txt"


def run(*args: str, data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    # Only the session's embedding cache is inherited (see tests/conftest.py).
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULLETINS_") or k == "BULLETINS_EMBEDDING_CACHE"}
    env.update(BULLETINS_DATA_DIR=str(data_dir), ANONYMIZED_TELEMETRY="False")
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args], env=env, cwd=data_dir.parent, capture_output=True,
        text=True, timeout=timeout,
    )


@pytest.fixture
def empty_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> Path:
    """Two short items of 004 (郭树勋's 40-enterprise item and 詹长松's), ingested through the CLI."""
    root = tmp_path_factory.mktemp("cli-index")
    folder = root / "in"
    folder.mkdir()
    text = SEED_004.read_text("utf-8")
    for name, reporter in (("guo", "郭树勋"), ("zhan", "詹长松")):
        start = text.index(f"本报讯（记者{reporter}）")
        item = text[start : text.find("本报讯", start + 3)]
        (folder / f"{name}.txt").write_text("\n\n".join(item.split("\n\n")[:3]) + "\n", "utf-8")
    data = root / "data"
    out = run("ingest", str(folder), "--json", "-q", data_dir=data, timeout=240)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert sorted(report["added"]) == ["guo", "zhan"] and report["failed"] == []
    return data


def test_ingest_missing_path_exits_2(empty_dir, tmp_path):
    missing = tmp_path / "no-such-folder"
    out = run("ingest", str(missing), data_dir=empty_dir)
    assert out.returncode == 2
    assert "no such file or directory" in out.stderr and str(missing) in out.stderr
    assert "Traceback" not in out.stderr
    assert not (empty_dir / "catalog.sqlite3").exists()  # nothing was created for a typo


def test_ingest_only_bad_files_exits_1(empty_dir, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = run("ingest", str(bad), "-q", data_dir=empty_dir)
    assert out.returncode == 1
    assert "1 failed" in out.stdout and "empty.txt" in out.stderr and "Traceback" not in out.stderr


def test_search_on_empty_index_exits_1(empty_dir):
    out = run("search", "示范区规模以上工业企业复工了多少家？", data_dir=empty_dir)
    assert out.returncode == 1
    assert "empty" in out.stderr and "bulletins ingest" in out.stderr
    assert "Traceback" not in out.stderr


def test_remove_unknown_exits_1(empty_dir):
    out = run("remove", "UNKNOWN", data_dir=empty_dir)
    assert out.returncode == 1
    assert "UNKNOWN" in out.stderr and "Traceback" not in out.stderr


def test_serve_on_empty_index_refuses(empty_dir):
    out = run("serve", "--port", "1", data_dir=empty_dir, timeout=60)
    assert out.returncode == 1
    assert "empty" in out.stderr and "bulletins ingest" in out.stderr
    assert str(empty_dir) in out.stderr
    assert "Traceback" not in out.stderr


def test_list_json(small_index):
    out = run("list", "--json", data_dir=small_index)
    assert out.returncode == 0, out.stderr
    docs = json.loads(out.stdout)
    assert [d["doc_id"] for d in docs] == ["guo", "zhan"]
    for d in docs:
        assert {"doc_id", "articles", "chunks", "dates", "title", "places", "path", "encoding"} <= d.keys()
        assert isinstance(d["articles"], int) and d["articles"] >= 1
        assert isinstance(d["chunks"], int) and d["chunks"] >= 1
        assert isinstance(d["dates"], list)
    assert "示范区" in docs[0]["places"]


def test_list_on_empty_index(empty_dir):
    out = run("list", data_dir=empty_dir)
    assert out.returncode == 0 and "bulletins ingest" in out.stdout


def test_search_json(small_index):
    out = run("search", "示范区重点工业企业复工复产", "--json", "-k", "3", data_dir=small_index)
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert 1 <= len(hits) <= 3
    assert hits[0]["doc_id"] == "guo" and "40家重点工业企业" in "".join(h["text"] for h in hits)
    for h in hits:
        assert {"chunk_id", "doc_id", "start", "end", "score", "text"} <= h.keys()
        assert h["chunk_id"].startswith(h["doc_id"] + ":") and h["start"] < h["end"]


# --- partial failures and what could not be walked: exit 1, each listed with what to do ----------------

def one_item(reporter: str = "詹长松") -> str:
    text = SEED_004.read_text("utf-8")
    start = text.index(f"本报讯（记者{reporter}）")
    return text[start : text.index("\n\n", start)] + "\n"  # its first paragraph: one or two chunks


def test_ingest_with_some_bad_files_exits_1_and_keeps_the_good_ones(empty_dir, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_good.txt").write_text(one_item(), "utf-8")
    (folder / "c_broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    out = run("ingest", str(folder), "-q", data_dir=empty_dir)
    assert out.returncode == 1, (out.returncode, out.stdout, out.stderr)  # before: 0
    assert "1 added" in out.stdout and "2 failed" in out.stdout
    assert "a_empty.txt" in out.stderr and "c_broken.pdf" in out.stderr and "Traceback" not in out.stderr
    assert "save the text as .txt" in out.stderr  # what to do
    listed = run("list", "--json", data_dir=empty_dir)
    assert [d["doc_id"] for d in json.loads(listed.stdout)] == ["b_good"]
    # Run again with the bad files fixed: 0.
    (folder / "a_empty.txt").write_text(one_item("郭嘉莉"), "utf-8")
    (folder / "c_broken.pdf").unlink()
    out = run("ingest", str(folder), "-q", "--json", data_dir=empty_dir)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["added"] == ["a_empty"]


def test_link_loops_and_broken_links_are_reported(empty_dir, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "good.txt").write_text(one_item(), "utf-8")
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)  # in/sub/back -> in: a loop
    (folder / "x.txt").symlink_to(folder / "y.txt")
    (folder / "y.txt").symlink_to(folder / "x.txt")  # x.txt <-> y.txt
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")  # dangling
    out = run("ingest", str(folder), "-q", "--json", data_dir=empty_dir)
    assert out.returncode == 1, (out.returncode, out.stdout, out.stderr)  # before: 0, and nothing said
    report = json.loads(out.stdout)
    assert report["added"] == ["good"]
    failed = {f["path"]: f["error"] for f in report["failed"]}
    assert set(failed) == {str(folder / "sub" / "back"), str(folder / "x.txt"), str(folder / "y.txt"),
                           str(folder / "gone.txt")}, failed
    assert "loop" in failed[str(folder / "sub" / "back")] and "loop" in failed[str(folder / "x.txt")]
    assert "broken" in failed[str(folder / "gone.txt")]
    for path in failed:
        assert f"WARNING {path}" in out.stderr  # said as it happens, not only in the report
