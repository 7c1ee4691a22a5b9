"""Inputs that used to crash the live service (issue 12, item 2) are a clear 4xx now: lone UTF-16
surrogates, huge filter lists, non-string content parts, non-ASCII bearer tokens, a non-ASCII document id in
the CSV's file name, oversized bodies (with and without Content-Length), and questions of only invisible
characters. Each case records what it did before the fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

XIUWU_Q = "修武县累计做了多少份核酸检测？"
XIUWU_FIG = "167.78万份"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CN_DOC = "修武县疫情通报"


def post_raw(client, path: str, body: str | bytes, **headers):
    data = body.encode() if isinstance(body, str) else body
    return client.post(path, content=data, headers={"Content-Type": "application/json", **headers})


def message(r: httpx.Response) -> str:
    """The error text in either shape: {"detail"} (service routes) or OpenAI's {"error": {"message"}}."""
    body = r.json()
    return body["error"]["message"] if "error" in body else body["detail"]


def v1(content) -> dict:
    return {"model": "bulletins", "messages": [{"role": "user", "content": content}]}


# --- lone surrogates: \ud800 in JSON is valid JSON but no character (before: 500, or a reset stream) -------
# json.dumps writes a lone surrogate as the escape \ud800 (httpx's json= cannot encode it: content= here)

SURROGATES = [
    ("/chat", {"question": "\ud800"}, "question"),  # before: 500 (UnicodeEncodeError in the embedder)
    ("/chat", {"question": "修武县\udfff核酸"}, "question"),
    ("/chat/stream", {"question": "\ud800"}, "question"),  # before: 200, then a reset connection
    ("/chat", {"question": XIUWU_Q, "filters": {"doc_id": ["\udc00"]}}, "doc_id"),  # before: 500
    ("/chat", {"question": XIUWU_Q, "filters": {"place": "\ud800"}}, "place"),  # before: 200
    ("/chat/stream", {"question": XIUWU_Q, "filters": {"place": ["\ud800"]}}, "place"),
    ("/chat", {"question": XIUWU_Q, "conversation_id": "\ud800"}, "conversation_id"),
    ("/v1/chat/completions", v1("\ud800"), "content"),  # before: 500
    ("/v1/chat/completions", v1([{"type": "text", "text": "\ud800"}]), "text"),  # before: 500
    ("/v1/chat/completions", {"model": "\ud800", "messages": [{"role": "user", "content": "x"}]}, "model"),
]


@pytest.mark.parametrize(("path", "body", "names"), SURROGATES, ids=[f"{i}-{p}" for i, (p, _, _) in enumerate(SURROGATES)])
def test_lone_surrogate_is_a_clear_422(client, path, body, names):
    r = post_raw(client, path, json.dumps(body))
    assert r.status_code == 422, (r.status_code, r.text[:300])
    text = message(r)
    assert "surrogate" in text and names in text, text


@pytest.mark.parametrize(("path", "body"), [
    ("/chat", {"question": XIUWU_Q, "\ud800": 1}),  # an unknown field: its name is echoed in the error
    ("/chat", {"question": XIUWU_Q, "filters": {"\ud800": "x"}}),
    ("/v1/chat/completions", v1([{"type": "text", "text": XIUWU_Q, "\ud800": 1}])),  # an extra key: ignored
])
def test_a_surrogate_in_a_key_never_breaks_the_response(client, path, body):
    r = post_raw(client, path, json.dumps(body))
    assert r.status_code < 500, r.text[:300]
    json.loads(r.content.decode("utf-8"))


def test_a_valid_surrogate_pair_is_a_character(client):
    r = post_raw(client, "/chat", json.dumps({"question": XIUWU_Q + "\U0001f600"}))  # an emoji, as \ud83d\ude00
    assert r.status_code == 200, r.text[:300]
    assert XIUWU_FIG in r.json()["answer"]


# --- filter lists: SQLite allows 32,766 variables per statement (before: 500 "too many SQL variables") ----

@pytest.mark.parametrize("key", ["doc_id", "place"])
def test_filter_list_over_the_cap_is_a_clear_422(client, key):
    values = [f"d{i}" for i in range(40_000)]
    r = client.post("/chat", json={"question": XIUWU_Q, "filters": {key: values}})
    assert r.status_code == 422, (r.status_code, r.text[:300])
    text = r.json()["detail"]
    assert key in text and "40000" in text and "1000" in text, text


def test_filter_list_at_the_cap_is_accepted(client):
    ids = ["001_c3fcc6018ef9c5e5"] * 1000  # ids must name ingested documents (an unknown one is a 422)
    r = client.post("/chat", json={"question": XIUWU_Q, "filters": {"doc_id": ids}})
    assert r.status_code == 200, r.text[:300]
    assert XIUWU_FIG in r.json()["answer"]


def test_many_unknown_ids_are_named_briefly(client):
    r = client.post("/chat", json={"question": XIUWU_Q, "filters": {"doc_id": [f"d{i}" for i in range(999)]}})
    assert r.status_code == 422
    assert "'d0'" in r.text and "and 994 more" in r.text and "'d998'" not in r.text and len(r.text) < 1000


# --- OpenAI content parts whose text is not a string (before: 500 TypeError in str.join) ---------------------

@pytest.mark.parametrize("text", ["123", "null", '["a"]', '{"a": 1}'])
def test_content_part_text_must_be_a_string(client, text):
    r = post_raw(client, "/v1/chat/completions", json.dumps(v1([{"type": "text", "text": json.loads(text)}])))
    assert r.status_code == 422, (r.status_code, r.text[:300])
    assert "text" in message(r)


@pytest.mark.parametrize("part", ['{"text": "x"}', '"x"', "7", '{"type": 3}'])
def test_content_part_must_be_an_object_with_a_type(client, part):
    r = post_raw(client, "/v1/chat/completions", json.dumps(v1([json.loads(part)])))
    assert r.status_code == 422, (r.status_code, r.text[:300])


def test_non_text_parts_are_ignored(client):
    parts = [{"type": "image_url", "image_url": {"url": "data:,"}}, {"type": "text", "text": XIUWU_Q}]
    r = client.post("/v1/chat/completions", json=v1(parts))
    assert r.status_code == 200, r.text[:300]
    assert XIUWU_FIG in r.json()["choices"][0]["message"]["content"]


# --- non-ASCII bearer tokens (before: 500 "comparing strings with non-ASCII characters is not supported") --

@pytest.fixture(scope="module")
def unicode_keyed_client(seeded_settings, seeded_engine):
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    settings = seeded_settings.model_copy(update={"api_keys": ["k1", "ключ"]})
    with TestClient(create_app(settings, seeded_engine)) as c:
        yield c


@pytest.mark.parametrize(
    "token", ["Bearer ключ-неверный".encode(), b"Bearer k\xe9y", b"Bearer \xff", "Bearer 钥匙".encode()]
)
@pytest.mark.parametrize("path", ["/documents", "/v1/models"])
def test_non_ascii_token_is_a_401(keyed_client, unicode_keyed_client, token, path):
    for c in (keyed_client, unicode_keyed_client):
        r = c.get(path, headers={"Authorization": token})
        assert r.status_code == 401, (r.status_code, r.text[:200])
        assert "invalid API key" in message(r)


def test_a_non_ascii_key_does_not_break_the_ascii_ones(unicode_keyed_client):
    # before: every wrong key was a 500 once a configured key had a non-ASCII character
    assert unicode_keyed_client.get("/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert unicode_keyed_client.get("/documents", headers={"Authorization": "Bearer k1"}).status_code == 200
    # a UTF-8 key sent as UTF-8 bytes matches
    r = unicode_keyed_client.get("/documents", headers={"Authorization": "Bearer ключ".encode()})
    assert r.status_code == 200, r.text[:200]


# --- the CSV's file name for a non-ASCII document id (before: 500, header not latin-1) ----------------------

@pytest.fixture(scope="module")
def cn_client(tmp_path_factory):
    """An index holding one short bulletin whose file name (and so doc id) is Chinese."""
    from fastapi.testclient import TestClient

    from service.api.app import create_app
    from service.engine import Engine
    from service.settings import Settings

    root = tmp_path_factory.mktemp("cn-doc")
    text = (SEEDS / "001_c3fcc6018ef9c5e5.txt").read_text("utf-8")
    (root / f"{CN_DOC}.txt").write_text(text[: text.index("167.78万份") + 200], "utf-8")
    settings = Settings(data_dir=root / "data", answerer="extractive")
    engine = Engine(settings)
    report = engine.ingest([root / f"{CN_DOC}.txt"], progress=False)
    assert report.added == [CN_DOC], report
    with TestClient(create_app(settings, engine)) as c:
        yield c
    shutil.rmtree(root, ignore_errors=True)


def test_figures_csv_of_a_chinese_doc_id(cn_client):
    r = cn_client.get(f"/documents/{CN_DOC}/figures.csv")
    assert r.status_code == 200, r.text[:300]
    cd = r.headers["content-disposition"]
    assert cd.startswith("attachment;")
    star = cd.split("filename*=", 1)[1].split(";")[0]
    assert star.startswith("UTF-8''")
    assert unquote(star[len("UTF-8''"):]) == f"{CN_DOC}-figures.csv"
    assert 'filename="' in cd and cd.isascii()  # the fallback for clients without RFC 6266
    assert "167.78" in r.content.decode("utf-8-sig")


@pytest.mark.parametrize("doc_id", ["001_c3fcc6018ef9c5e5", "修武县", 'a"b', "a\r\nSet-Cookie: x=1", "报告 2020"])
def test_attachment_header_is_latin_1_and_one_line(doc_id):
    from service.api.documents_router import attachment

    cd = attachment(f"{doc_id}-figures.csv")
    cd.encode("latin-1")
    assert "\r" not in cd and "\n" not in cd
    fallback = cd.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.endswith("figures.csv") and '"' not in fallback and "\\" not in fallback
    star = cd.split("filename*=UTF-8''", 1)[1]
    assert unquote(star) == f"{doc_id}-figures.csv"
    if doc_id.isascii() and doc_id.replace("_", "").isalnum():
        assert fallback == f"{doc_id}-figures.csv"  # plain ids keep their name


# --- body size (before: a 20 MB body was read, parsed and answered: 200) ----------------------------------------

BIG = json.dumps({"question": XIUWU_Q, "filters": {"place": ["修武县" * 30] * 4_000}}).encode()  # ~2 MB


@pytest.mark.parametrize("path", ["/chat", "/chat/stream", "/v1/chat/completions"])
def test_body_over_the_limit_is_a_413(client, path):
    assert len(BIG) > 1024 * 1024
    r = post_raw(client, path, BIG)
    assert r.status_code == 413, (r.status_code, r.text[:300])
    assert "1 MiB" in message(r)


def test_chunked_body_over_the_limit_is_a_413(live_server):
    # no Content-Length: the limit is counted while the body streams in
    chunks = [BIG[i : i + 65536] for i in range(0, len(BIG), 65536)]
    r = httpx.post(f"{live_server}/chat", content=iter(chunks), headers={"Content-Type": "application/json"},
                   timeout=60)
    assert r.status_code == 413, (r.status_code, r.text[:300])
    assert "1 MiB" in r.json()["detail"]


def test_chunked_body_under_the_limit_is_answered(live_server):
    body = json.dumps({"question": XIUWU_Q}).encode()
    r = httpx.post(f"{live_server}/chat", content=iter([body[:10], body[10:]]),
                   headers={"Content-Type": "application/json"}, timeout=60)
    assert r.status_code == 200, r.text[:300]
    assert XIUWU_FIG in r.json()["answer"]


def test_the_limit_is_a_setting(seeded_settings, seeded_engine):
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    small = seeded_settings.model_copy(update={"max_body_bytes": 200})
    with TestClient(create_app(small, seeded_engine)) as c:
        assert c.post("/chat", json={"question": XIUWU_Q}).status_code == 200
        r = c.post("/chat", json={"question": XIUWU_Q * 20})
        assert r.status_code == 413
        assert "200 bytes" in r.json()["detail"]


def test_multipart_to_a_json_route_is_held_to_the_limit(client):
    r = client.post("/chat", files={"file": ("big.txt", b"x" * (2 * 1024 * 1024), "text/plain")})
    assert r.status_code == 413, r.status_code


def test_upload_routes_are_exempt():
    # a route taking multipart/form-data bounds its own file size (POST /documents); JSON routes do not
    from fastapi import FastAPI, File
    from fastapi.testclient import TestClient

    from service.api import errors
    from service.api.limits import BodyLimit

    app = FastAPI()
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=1000)

    @app.post("/upload")
    def upload(file: bytes = File(...)) -> dict:
        return {"size": len(file)}

    @app.post("/json")
    def echo(body: dict) -> dict:
        return body

    with TestClient(app) as c:
        r = c.post("/upload", files={"file": ("a.txt", b"x" * 5000, "text/plain")})
        assert r.status_code == 200 and r.json() == {"size": 5000}, r.text
        assert c.post("/json", json={"a": "x" * 5000}).status_code == 413
        assert c.post("/json", files={"file": ("a.txt", b"x" * 5000, "text/plain")}).status_code == 413
        assert c.post("/json", json={"a": "x"}).json() == {"a": "x"}


# --- invisible questions (before: 200, searched and abstained) -------------------------------------------------

INVISIBLE = ["\u200b", "\ufeff", "\u200b\u200c\u200d\u2060", " \u3000\u200b\n", "\u00ad", "\x00\x01"]


@pytest.mark.parametrize("q", INVISIBLE, ids=[repr(q) for q in INVISIBLE])
@pytest.mark.parametrize("path", ["/chat", "/chat/stream"])
def test_invisible_question_is_a_422_like_an_empty_one(client, path, q):
    r = client.post(path, json={"question": q})
    assert r.status_code == 422, (r.status_code, r.text[:300])
    assert "question is empty" in r.json()["detail"]


@pytest.mark.parametrize("q", INVISIBLE[:3], ids=[repr(q) for q in INVISIBLE[:3]])
def test_invisible_user_message_is_a_422(client, q):
    r = client.post("/v1/chat/completions", json={"model": "bulletins", "messages": [{"role": "user", "content": q}]})
    assert r.status_code == 422, (r.status_code, r.text[:300])
    assert "non-empty user message" in message(r)


def test_invisible_characters_around_a_question_are_trimmed(client):
    r = client.post("/chat", json={"question": f"\ufeff\u200b {XIUWU_Q}\u200b"})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["question"] == XIUWU_Q
    assert XIUWU_FIG in r.json()["answer"]


def test_405_allow_lists_every_method_of_the_path(client):
    # Before: "Allow: GET" for PUT /documents, though POST /documents exists (two routes, one path).
    r = client.put("/documents")
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "POST"}
    r = client.put("/documents/001_c3fcc6018ef9c5e5")
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "DELETE"}
