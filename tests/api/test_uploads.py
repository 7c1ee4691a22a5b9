"""POST /documents (multipart upload through the CLI's reading, cleaning and ingest pipeline) and
DELETE /documents/{doc_id}, on a private index (the session's seeded index is shared and must not change)."""

from __future__ import annotations

import pytest

from tests.api.test_live_index import GUO_Q, ZHAN_Q, cited, item

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(64)
KEYED = {"Authorization": "Bearer k1"}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """Settings and Engine over an index holding only guo; the upload limit is 64 KiB."""
    from service.engine import Engine
    from service.settings import Settings

    root = tmp_path_factory.mktemp("uploads")
    (root / "guo.txt").write_text(item("郭树勋"), "utf-8")
    settings = Settings(data_dir=root / "data", answerer="extractive", max_file_mb=1 / 16, api_keys=["k1"])
    engine = Engine(settings)
    assert engine.ingest([root / "guo.txt"], progress=False).added == ["guo"]
    return settings, engine


@pytest.fixture(scope="module")
def client(index):
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    settings, engine = index
    with TestClient(create_app(settings, engine), raise_server_exceptions=False, headers=KEYED) as c:
        yield c


def upload(client, name: str, data: bytes, **kw):
    return client.post("/documents", files={"file": (name, data, "text/plain")}, **kw)


def test_upload_ask_reupload_delete(client):
    text = item("詹长松").encode("utf-8")
    r = upload(client, "zhan.txt", text)
    assert r.status_code == 201, r.text[:300]
    body = r.json()
    assert body["doc_id"] == "zhan" and body["status"] == "added"
    assert body["articles"] >= 1 and body["chunks"] >= body["articles"] and body["characters"] == len(item("詹长松"))
    assert r.headers["location"] == "/documents/zhan"
    assert client.get("/documents/zhan").json()["original"] == item("詹长松")
    assert cited(client.post("/chat", json={"question": ZHAN_Q, "filters": {"doc_id": "zhan"}})) == {"zhan"}

    again = upload(client, "zhan.txt", text)  # idempotent: the same bytes change nothing
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert again.json()["chunks"] == body["chunks"]
    gbk = upload(client, "zhan.txt", item("詹长松").encode("gbk"))  # same text, other encoding: unchanged
    assert gbk.status_code == 200 and gbk.json()["status"] == "unchanged"

    changed = upload(client, "zhan.txt", item("詹长松", 2).encode("utf-8"))
    assert changed.status_code == 200 and changed.json()["status"] == "updated"
    assert client.get("/documents/zhan").json()["original"] == item("詹长松", 2)

    r = client.delete("/documents/zhan")
    assert r.status_code == 204 and r.content == b""
    assert client.get("/documents/zhan").status_code == 404
    assert "zhan" not in cited(client.post("/chat", json={"question": ZHAN_Q}))
    r = client.delete("/documents/zhan")
    assert r.status_code == 404 and "GET /documents" in r.json()["detail"]


def test_a_path_in_the_file_name_is_dropped(client, index):
    r = upload(client, "../../etc/徐金华.txt", item("徐金华", 2).encode("utf-8"))
    assert r.status_code == 201, r.text[:300]
    assert r.json()["doc_id"] == "徐金华" and r.headers["location"] == "/documents/%E5%BE%90%E9%87%91%E5%8D%8E"
    assert client.get(r.headers["location"]).json()["doc_id"] == "徐金华"
    assert client.delete("/documents/徐金华").status_code == 204


@pytest.mark.parametrize(
    ("name", "data", "status", "says"),
    [
        ("empty.txt", b"", 422, "empty"),
        ("blank.txt", " \n\u3000\n".encode(), 422, "nothing to ingest"),
        ("scan.txt", PNG, 422, "binary"),
        ("photo.png", PNG, 415, "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4 truncated", 422, "PDF"),
        ("big.txt", "疫情防控".encode() * 6000, 413, "BULLETINS_MAX_FILE_MB"),  # 72 KB > 64 KiB
        ("", b"abc", 422, "file name"),
        (".hidden.txt", b"abc", 422, "file name"),
    ],
)
def test_bad_uploads_are_refused_with_what_to_do(client, name, data, status, says):
    r = upload(client, name, data)
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert says in r.json()["detail"], r.json()["detail"]
    assert [d["doc_id"] for d in client.get("/documents").json()] == ["guo"]


def test_upload_without_a_file_field(client):
    r = client.post("/documents", data={"text": "疫情防控"})
    assert r.status_code == 422 and "file" in r.json()["detail"]
    r = client.post("/documents", content=b"plain body", headers={"content-type": "text/plain"})
    assert r.status_code in (415, 422) and "multipart" in r.json()["detail"]


def test_a_huge_body_is_refused_before_it_is_read(client):
    r = client.post("/documents", content=b"x" * 10, headers={
        "content-type": "multipart/form-data; boundary=b", "content-length": str(10**9)})
    assert r.status_code == 413 and "BULLETINS_MAX_FILE_MB" in r.json()["detail"]


def test_upload_and_delete_need_the_key(index, client):
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    settings, engine = index
    with TestClient(create_app(settings, engine)) as anon:
        r = upload(anon, "zhan.txt", item("詹长松").encode("utf-8"))
        assert r.status_code == 401 and "API key" in r.json()["detail"]
        r = anon.delete("/documents/guo")
        assert r.status_code == 401
        r = anon.delete("/documents/guo", headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401
    assert [d["doc_id"] for d in client.get("/documents").json()] == ["guo"]
    assert cited(client.post("/chat", json={"question": GUO_Q})) == {"guo"}


def test_an_upload_over_the_json_body_limit_is_not_refused_by_it(index, tmp_path):
    # Before: POST /documents of a 1.5 MB file got "request body is over the 1 MiB limit" although files up to
    # BULLETINS_MAX_FILE_MB (10) are accepted: the JSON body limit did not know the route takes uploads.
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    settings, engine = index
    small_bodies = settings.model_copy(update={"max_body_bytes": 512})
    text = item("詹长松", 3).encode("utf-8")
    assert len(text) > 512
    with TestClient(create_app(small_bodies, engine), raise_server_exceptions=False, headers=KEYED) as c:
        r = upload(c, "zhan3.txt", text)
        assert r.status_code in (200, 201), r.text[:300]
        assert c.delete("/documents/zhan3").status_code == 204
        chat = c.post("/chat", json={"question": "詹" * 300})  # JSON routes keep the limit
        assert chat.status_code == 413
