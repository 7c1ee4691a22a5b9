"""GET /documents, /documents/{id}, its summary, key figures as CSV, and the digest: shapes, 404s with a
message, and every span an exact slice of the original file."""

from __future__ import annotations

import csv
import io
import re

import pytest

SEED_IDS = [
    "000_f13d48eef836739b", "001_c3fcc6018ef9c5e5", "002_5698fe36264cb407", "003_74452890e820d922",
    "004_442700f1404d18b4",
]
XIUWU_DOC = "001_c3fcc6018ef9c5e5"


def test_list_documents(client):
    r = client.get("/documents")
    assert r.status_code == 200
    docs = r.json()
    assert sorted(d["doc_id"] for d in docs) == SEED_IDS
    for d in docs:
        assert d["title"].strip()
        assert d["articles"] >= 1 and d["chunks"] >= d["articles"]
        assert d["characters"] > 1000
        assert len(d["sha256"]) == 64
        assert isinstance(d["places"], list) and isinstance(d["dates"], list)
    by_id = {d["doc_id"]: d for d in docs}
    assert "修武县" in by_id[XIUWU_DOC]["places"]
    assert "定州市" in by_id["003_74452890e820d922"]["places"]


def test_document_has_the_original_text_and_articles(client):
    from pathlib import Path

    r = client.get(f"/documents/{XIUWU_DOC}")
    assert r.status_code == 200
    d = r.json()
    assert d["doc_id"] == XIUWU_DOC
    seed = (Path(__file__).resolve().parents[2] / "seeds" / f"{XIUWU_DOC}.txt").read_text(encoding="utf-8")
    assert d["original"] == seed  # character offsets refer to exactly this text
    arts = d["articles"]
    assert len(arts) >= 2
    assert [a["index"] for a in arts] == list(range(len(arts)))
    prev_end = 0
    for a in arts:
        assert 0 <= a["start"] < a["end"] <= len(d["original"])
        assert a["start"] >= prev_end  # in order, not overlapping
        prev_end = a["end"]
    assert any("修武县" in a["title"] for a in arts)


@pytest.mark.parametrize(
    "path", ["/documents/{}", "/documents/{}/summary", "/documents/{}/figures.csv", "/documents/{}/figures"])
@pytest.mark.parametrize("doc_id", ["no_such_doc", "000_f13d48eef836739", "000_F13D48EEF836739B", "修武县"])
def test_unknown_document_is_a_404_with_a_message(client, path, doc_id):
    r = client.get(path.format(doc_id))
    assert r.status_code == 404, (path, doc_id, r.status_code, r.text[:200])
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "/documents" in detail


# --- summaries (service/summaries) ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def summary(client):
    r = client.get(f"/documents/{XIUWU_DOC}/summary")
    assert r.status_code == 200, r.text[:500]
    return r.json()


def test_summary_sentences_quote_the_original(client, summary, originals):
    original = originals(XIUWU_DOC)
    assert summary["doc_id"] == XIUWU_DOC
    assert summary["mode"] == "extractive"
    assert summary["summary"].strip()
    sentences = [s for a in summary["articles"] for s in a["sentences"]]
    assert sentences
    for s in sentences:
        assert original[s["start"]:s["end"]] == s["quote"], s
        assert s["text"].strip()


def test_summary_key_figures_quote_the_original(summary, originals):
    original = originals(XIUWU_DOC)
    figs = summary["key_figures"]
    assert len(figs) >= 5
    for f in figs:
        assert original[f["start"]:f["end"]] == f["quote"], f
        assert f["value"] and f["value"] in re.sub(r"\s", "", f["quote"]), f
    # the bulletin's headline figure is among them, with its magnitude
    assert any(f["value"] == "167.78" and f["unit"].startswith("万") for f in figs), [
        (f["value"], f["unit"]) for f in figs]


def test_summary_is_the_same_every_time(client, summary):
    again = client.get(f"/documents/{XIUWU_DOC}/summary").json()
    assert again == summary


def test_figures_csv(client, summary):
    r = client.get(f"/documents/{XIUWU_DOC}/figures.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert f"{XIUWU_DOC}-figures.csv" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == len(summary["key_figures"])
    assert {"metric", "value", "unit", "quote", "start", "end"} <= set(rows[0])
    for row, kf in zip(rows, summary["key_figures"], strict=True):
        assert row["value"] == kf["value"] and row["quote"] == kf["quote"]
        assert int(row["start"]) == kf["start"] and int(row["end"]) == kf["end"]


def test_figures_are_the_facts_read_at_ingest(client, summary, originals):
    original = originals(XIUWU_DOC)
    r = client.get(f"/documents/{XIUWU_DOC}/figures")
    assert r.status_code == 200
    body = r.json()
    assert body["doc_id"] == XIUWU_DOC
    figs = body["figures"]
    assert {f["kind"] for f in figs} >= {"number", "date", "time", "phone"}  # every figure, not only key ones
    for f in figs:
        assert original[f["start"]:f["end"]] == f["quote"], f
        assert f["place"] and f["bound"] in ("eq", "gt", "lt", "approx")
    # 全县 in the 修武县 article is 修武县, its 截至… kept, the total and its part told apart
    by_figure = {f["figure"]: f for f in figs}
    total, part = by_figure["3558人"], by_figure["1673人"]
    assert (total["place"], total["as_of"], total["part"], total["value"]) == ("修武县", "截至3月27日12时", "total", "3558")
    assert (part["place"], part["part"]) == ("修武县", "part")
    assert by_figure["167.78万份"]["value"] == "1677800" and by_figure["167.78万份"]["magnitude"] == "万"
    # ?key=true: exactly the key-figures table's rows
    key = client.get(f"/documents/{XIUWU_DOC}/figures", params={"key": "true"}).json()["figures"]
    assert all(f["key"] and f["metric"] for f in key)
    assert [(f["metric"], f["quote"], f["start"]) for f in key] == [
        (kf["metric"], kf["quote"], kf["start"]) for kf in summary["key_figures"]]


def test_digest(client, originals):
    r = client.get("/digest")
    assert r.status_code == 200
    d = r.json()
    assert sorted(doc["doc_id"] for doc in d["documents"]) == SEED_IDS
    assert "修武县" in d["places"] and XIUWU_DOC in d["places"]["修武县"]
    assert d["metrics"], "the same metric is reported by several bulletins (e.g. 企业复工)"
    for m in d["metrics"]:
        assert len(m["values"]) >= 2
        for v in m["values"]:
            assert originals(v["doc_id"])[v["start"]:v["end"]] == v["quote"], v


def test_path_traversal_finds_nothing(client):
    r = client.get("/documents/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code == 404
    assert "root:" not in r.text
